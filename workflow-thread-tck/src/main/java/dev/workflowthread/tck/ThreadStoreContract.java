package dev.workflowthread.tck;

import dev.workflowthread.spi.ThreadStore;
import org.junit.jupiter.api.Nested;

/**
 * The whole contract suite. A store passes it by extending this class:
 *
 * <pre>{@code
 * class MyThreadStoreTest extends ThreadStoreContract {
 *     @Override
 *     protected ThreadStore createStore() {
 *         return MyThreadStore.create(...);
 *     }
 * }
 * }</pre>
 *
 * Each nested class is one part of the contract; each test gets a store of its own from
 * {@link #createStore()} and closes it afterwards.
 */
public abstract class ThreadStoreContract {

    /** Constructor for the store's test class that extends this one. */
    public ThreadStoreContract() {
    }

    /**
     * A new store for one test. Several stores may be alive at once; each is closed after its test.
     *
     * @return the store under test
     */
    protected abstract ThreadStore createStore();

    @Nested
    class Storage extends StoreSpiContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class Messages extends MessagesContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class UserActions extends UserActionsContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class Validation extends ValidationContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class Checkpoints extends CheckpointContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class Listeners extends ListenerContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class Concurrency extends ConcurrencyContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class FlowExamples extends FlowExamplesContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class SendPolicies extends SendPolicyContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class Retention extends RetentionContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class Idempotency extends IdempotencyContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class Regressions extends RegressionContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }

    @Nested
    class Steering extends SteeringContract {
        @Override
        protected ThreadStore createStore() {
            return ThreadStoreContract.this.createStore();
        }
    }
}
