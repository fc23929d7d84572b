package dev.workflowthread.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.RedirectNotConfiguredException;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowThreadConfig;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the validation behind {@link WorkflowMessages#send}, over the
 * in-memory store, with requests the fuzzer builds: any content, action and author, and metadata
 * of nested maps and lists holding every kind of number (NaN, infinities, -0.0, huge integers),
 * strings with NULs and lone surrogates, keys that are not strings, beans and enums. The
 * documented contract, and nothing more: a send either stores one message (the thread's last seq
 * one higher, the message as sent) or throws a documented refusal ({@link InvalidMessageException}
 * naming a field, {@link RedirectNotConfiguredException}, {@link WorkflowNotFoundException} for a
 * workflow without a thread) and stores nothing. Anything else fails. Among the values are the
 * ones that once overflowed the stack ({@code byte[]}, {@code ByteBuffer}) and maps and lists
 * that hold themselves.
 */
class SendValidationFuzzTest {
    /** A fresh service now and then, so that threads stay short and a run stays fast. */
    private static final int SENDS_PER_SERVICE = 20_000;
    private static final long RUNNING = 1;
    private static final long PAUSED = 2;
    private static final long COMPLETED = 3;
    private static final long CANCELLED = 4;
    private static final long NO_THREAD = 5;

    private static Services services;
    private static int sends;

    /** Two services over one store: one with a redirect handler, one without. */
    private record Services(WorkflowMessages withRedirects, WorkflowMessages withoutRedirects) {
        static Services create() {
            InMemoryThreadStore store = InMemoryThreadStore.create();
            WorkflowThreadConfig small = WorkflowThreadConfig.builder().maxContentBytes(256).build();
            WorkflowMessages without = WorkflowMessages.create(store, small);
            WorkflowMessages with = WorkflowMessages.create(store,
                    small.toBuilder().redirectHandler(request -> 1000 + request.sourceMessageId()).build());
            for (long id = RUNNING; id <= CANCELLED; id++) {
                without.start(id);
            }
            without.pause(PAUSED, "fuzzing");
            without.complete(COMPLETED, "done");
            without.cancel(CANCELLED, "stop");
            return new Services(with, without);
        }

        void close() {
            withRedirects.close();
            withoutRedirects.close();
        }
    }

    @AfterAll
    static void closeServices() {
        if (services != null) {
            services.close();
        }
    }

    @FuzzTest(maxDuration = "40s")
    void send(FuzzedDataProvider data) {
        if (services == null || sends++ % SENDS_PER_SERVICE == 0) {
            closeServices();
            services = Services.create();
        }
        WorkflowMessages messages = data.consumeBoolean() ? services.withRedirects() : services.withoutRedirects();
        long workflowId = data.pickValue(new long[] {RUNNING, PAUSED, COMPLETED, CANCELLED, NO_THREAD, 0, -1});
        ActionType[] actions = ActionType.values();
        int action = data.consumeInt(-1, actions.length - 1);
        String author = data.consumeBoolean() ? null : text(data);
        Map<String, Object> metadata = data.consumeBoolean() ? null : metadata(data);
        String content = data.consumeBoolean() ? null : text(data);
        SendRequest request = new SendRequest(content, action < 0 ? null : actions[action], metadata, author);

        long lastSeq = threadExists(workflowId) ? messages.getState(workflowId).lastSeq() : 0;
        SendResult result;
        try {
            result = messages.send(workflowId, request);
        } catch (RedirectNotConfiguredException refused) {
            assertThat(request.actionType()).isEqualTo(ActionType.REDIRECT);
            assertThat(messages.config().redirectHandler()).isNull();
            assertStoredNothing(messages, workflowId, lastSeq);
            return;
        } catch (InvalidMessageException refused) {
            assertThat(refused.field()).as("the field a refusal names").isNotBlank();
            assertStoredNothing(messages, workflowId, lastSeq);
            return;
        } catch (WorkflowNotFoundException refused) {
            assertThat(threadExists(workflowId)).as("workflow %d has a thread", workflowId).isFalse();
            return;
        }
        assertThat(threadExists(workflowId)).as("a send to workflow %d succeeded", workflowId).isTrue();
        assertThat(result.seq()).as("the stored message's seq").isEqualTo(lastSeq + 1);
        assertThat(messages.getState(workflowId).lastSeq()).as("the thread's last seq").isGreaterThanOrEqualTo(lastSeq + 1);
        Message stored = messages.getMessages(workflowId, lastSeq, 1).get(0);
        assertThat(stored.id()).isEqualTo(result.messageId());
        assertThat(stored.messageType()).isEqualTo(MessageType.USER);
        assertThat(stored.content()).isEqualTo(content);
        assertThat(stored.actionType()).isEqualTo(request.actionType());
        assertThat(stored.author()).isEqualTo(author);
        assertThat(stored.metadata() == null).as("metadata stored when sent").isEqualTo(metadata == null);
    }

    private static boolean threadExists(long workflowId) {
        return workflowId >= RUNNING && workflowId <= CANCELLED;
    }

    private static void assertStoredNothing(WorkflowMessages messages, long workflowId, long lastSeq) {
        if (threadExists(workflowId)) {
            assertThat(messages.getState(workflowId).lastSeq()).as("the last seq after a refusal").isEqualTo(lastSeq);
        }
    }

    /** Texts of every kind: short, long, blank, with NULs, lone surrogates and pairs, from the fuzzer's bytes. */
    private static String text(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> data.consumeString(40);
            case 1 -> data.consumeAsciiString(300);
            case 2 -> {
                // UTF-16 code units as they come, so that unpaired surrogates and U+0000 appear.
                char[] units = new char[data.consumeInt(0, 8)];
                for (int i = 0; i < units.length; i++) {
                    units[i] = data.consumeChar();
                }
                yield new String(units);
            }
            default -> data.pickValue(new String[] {"", " ", "\t\n", "\u00a0", "\u2003", "pause", "x"});
        };
    }

    private static Map<String, Object> metadata(FuzzedDataProvider data) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) (Map<?, ?>) map(data, 0);
        if (data.consumeBoolean()) {
            // The field a redirect needs, with a value of any kind.
            map.put(Message.NEW_TASK_DESCRIPTION, data.consumeBoolean() ? text(data) : value(data, 1));
        }
        return map;
    }

    private static Map<Object, Object> map(FuzzedDataProvider data, int depth) {
        Map<Object, Object> map = data.consumeBoolean() ? new LinkedHashMap<>() : new HashMap<>();
        int size = data.consumeInt(0, 4);
        for (int i = 0; i < size; i++) {
            Object key = data.consumeInt(0, 15) == 0 ? (Object) data.consumeInt() : text(data);
            map.put(key, value(data, depth + 1));
        }
        return map;
    }

    private static Object value(FuzzedDataProvider data, int depth) {
        // Past depth 6 no containers (and no cycle, kind 17): a set hashes what it holds, which a cycle makes endless.
        int kind = data.consumeInt(0, depth > 6 ? 16 : 20);
        return switch (kind) {
            case 0 -> null;
            case 1 -> data.consumeBoolean();
            case 2 -> text(data);
            case 3 -> data.consumeInt();
            case 4 -> data.consumeLong();
            case 5 -> data.consumeShort();
            case 6 -> data.consumeByte();
            case 7 -> data.consumeDouble();
            case 8 -> data.consumeFloat();
            case 9 -> data.pickValue(new Double[] {Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE});
            case 10 -> new BigInteger(1 + data.consumeInt(0, 200), new Random(data.consumeLong()))
                    .multiply(BigInteger.valueOf(data.consumeBoolean() ? 1 : -1));
            case 11 -> new BigDecimal(BigInteger.valueOf(data.consumeLong()), data.consumeInt(-400, 400));
            case 12 -> new StringBuilder(text(data));
            case 13 -> data.pickValue(DayOfWeek.values());
            case 14 -> new Point(data.consumeInt(), text(data));
            case 15 -> data.consumeBytes(8);
            case 16 -> ByteBuffer.wrap(data.consumeBytes(8));
            case 17 -> {
                Map<String, Object> cyclic = new HashMap<>();
                cyclic.put(text(data), cyclic);
                yield cyclic;
            }
            case 18 -> map(data, depth);
            case 19 -> {
                List<Object> list = new ArrayList<>();
                int size = data.consumeInt(0, 4);
                for (int i = 0; i < size; i++) {
                    list.add(value(data, depth + 1));
                }
                yield list;
            }
            default -> {
                LinkedHashSet<Object> set = new LinkedHashSet<>();
                set.add(value(data, 7));
                yield set;
            }
        };
    }

    /** A value that is not a JSON type: Jackson writes it as an object. */
    record Point(int x, String label) {
    }
}
