import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks what the release build staged for Maven Central; run by .ci/check-release-bundle after
 * {@code ./mvnw -Prelease ... deploy -DskipUpload}, from the repository's root:
 * {@code java .ci/CheckReleaseBundle.java}.
 *
 * <p>The bundle is the central-publishing plugin's: {@code target/central-publishing/*.zip} for a
 * release version, {@code target/central-deferred/} (the same files, without checksums) for a
 * snapshot. The published modules are the ones the BOM lists; the check fails when that list and
 * the reactor disagree (a module staged but not in the BOM, a BOM entry that is no module or not
 * staged), when a published jar module lacks its jar, sources, Javadoc or POM, when the Javadoc
 * has the internal packages, when a POM (the effective one, from help:effective-pom; the BOM's as
 * deployed) lacks what Central requires, or when the BOM carries more than the published modules.
 */
public final class CheckReleaseBundle {

  private static final String GROUP = "dev.workflowthread";
  private static final String PARENT = "workflow-thread-parent";
  private static final String BOM = "workflow-thread-bom";
  private static final List<String> REQUIRED = List.of("name", "description", "url", "licenses", "developers", "scm");

  private final List<String> failures = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    CheckReleaseBundle check = new CheckReleaseBundle();
    check.run(root);
    if (!check.failures.isEmpty()) {
      System.err.println("release bundle check FAILED:");
      check.failures.forEach(f -> System.err.println("  - " + f));
      System.exit(1);
    }
  }

  private void fail(String message) {
    failures.add(message);
  }

  private void run(Path root) throws Exception {
    Document rootPom = parse(Files.readAllBytes(root.resolve("pom.xml")));
    String version = text(rootPom.getDocumentElement(), "version");

    // the reactor: module directory -> artifactId
    Map<String, String> reactor = new TreeMap<>();
    for (Element module : children(child(rootPom.getDocumentElement(), "modules"), "module")) {
      String dir = module.getTextContent().trim();
      Document pom = parse(Files.readAllBytes(root.resolve(dir).resolve("pom.xml")));
      reactor.put(dir, text(pom.getDocumentElement(), "artifactId"));
    }
    if (!reactor.containsValue(BOM)) {
      fail("the reactor has no module " + BOM);
    }

    Map<String, byte[]> bundle = readBundle(root, version);
    if (bundle.isEmpty()) {
      return;
    }
    String base = GROUP.replace('.', '/') + "/";
    Set<String> staged = new TreeSet<>();
    for (String path : bundle.keySet()) {
      if (path.startsWith(base) && path.endsWith(".pom")) {
        staged.add(path.substring(base.length(), path.indexOf('/', base.length())));
      }
    }

    // the BOM as deployed: no parent, and only the published modules managed, in this version
    Set<String> published = new TreeSet<>();
    byte[] bomBytes = bundle.get(file(base, BOM, version, ".pom"));
    if (bomBytes == null) {
      fail("the bundle has no POM of " + BOM);
    } else {
      Element bom = parse(bomBytes).getDocumentElement();
      if (child(bom, "parent") != null) {
        fail(BOM + ": the deployed POM has a parent, so importing it would also import the parent's dependencyManagement");
      }
      requireMetadata(BOM + " (deployed POM)", bom);
      if (!version.equals(text(bom, "version"))) {
        fail(BOM + " has version " + text(bom, "version") + ", the reactor " + version);
      }
      Element management = child(bom, "dependencyManagement");
      for (Element dependency : children(child(management, "dependencies"), "dependency")) {
        String id = text(dependency, "groupId") + ":" + text(dependency, "artifactId");
        String v = text(dependency, "version");
        if (!GROUP.equals(text(dependency, "groupId"))) {
          fail(BOM + " manages " + id + ", which is not a workflow-thread module (the parent's dependencyManagement leaked?)");
          continue;
        }
        if (!version.equals(v) && !"${project.version}".equals(v)) {
          fail(BOM + " manages " + id + " in version " + v + ", not " + version);
        }
        published.add(text(dependency, "artifactId"));
      }
      if (published.isEmpty()) {
        fail(BOM + " manages no modules");
      }
    }

    // the BOM's list against the reactor and against what was staged
    for (String artifactId : published) {
      if (!reactor.containsValue(artifactId)) {
        fail(BOM + " lists " + artifactId + ", which is no module of the reactor");
      } else if (!staged.contains(artifactId)) {
        fail(BOM + " lists " + artifactId + ", but the release build did not stage it (skipPublishing set?)");
      }
    }
    for (String artifactId : staged) {
      if (!artifactId.equals(PARENT) && !artifactId.equals(BOM) && !published.contains(artifactId)) {
        fail(artifactId + " is staged for Central but not in " + BOM + ": add it there, or set skipPublishing"
            + " (and maven.deploy.skip) in its pom if it is not to be published");
      }
    }
    if (!staged.contains(PARENT)) {
      fail("the bundle has no " + PARENT + " POM, which the published modules' POMs name as their parent");
    }

    // each published module's files, and every POM's metadata
    Map<String, Element> effective = effectivePoms(root);
    boolean signed = bundle.keySet().stream().anyMatch(p -> p.endsWith(".asc"));
    for (String artifactId : staged) {
      if (!artifactId.equals(BOM)) {
        Element pom = effective.get(artifactId);
        if (pom == null) {
          fail(artifactId + ": no effective POM in target/effective-pom.xml");
        } else {
          requireMetadata(artifactId + " (effective POM)", pom);
        }
      }
      List<String> files = new ArrayList<>(List.of(".pom"));
      if (published.contains(artifactId)) {
        files.addAll(List.of(".jar", "-sources.jar", "-javadoc.jar"));
      }
      for (String suffix : files) {
        String path = file(base, artifactId, version, suffix);
        byte[] bytes = bundle.get(path);
        if (bytes == null) {
          fail(artifactId + ": the bundle has no " + artifactId + "-" + version + suffix);
          continue;
        }
        if (signed && !bundle.containsKey(path + ".asc")) {
          fail(artifactId + ": " + path + " is not signed while others are");
        }
        if (suffix.endsWith(".jar")) {
          checkJar(artifactId + suffix, bytes, suffix);
        }
      }
    }
    System.out.println("release bundle: version " + version + "; published (from " + BOM + "): " + published
        + "; staged: " + staged + (signed ? "; signed" : "; unsigned (-Dgpg.skip)"));
  }

  private void checkJar(String name, byte[] bytes, String suffix) throws IOException {
    Set<String> entries = new TreeSet<>();
    try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        entries.add(e.getName());
      }
    }
    String wanted = switch (suffix) {
      case ".jar" -> ".class";
      case "-sources.jar" -> ".java";
      default -> ".html";
    };
    if (entries.stream().noneMatch(e -> e.endsWith(wanted))) {
      fail(name + " has no " + wanted + " file");
    }
    if (suffix.equals("-javadoc.jar")) {
      if (!entries.contains("index.html")) {
        fail(name + " has no index.html");
      }
      if (entries.stream().anyMatch(e -> e.startsWith("dev/workflowthread/internal/"))) {
        fail(name + " documents dev.workflowthread.internal, which is no API");
      }
    }
  }

  private void requireMetadata(String what, Element pom) {
    for (String element : REQUIRED) {
      Element e = child(pom, element);
      if (e == null || e.getTextContent().isBlank()) {
        fail(what + ": no <" + element + ">");
      }
    }
    Element licenses = child(pom, "licenses");
    if (licenses != null && children(licenses, "license").stream().anyMatch(l -> text(l, "name").isBlank())) {
      fail(what + ": a <license> without a name");
    }
    Element developers = child(pom, "developers");
    if (developers != null && children(developers, "developer").isEmpty()) {
      fail(what + ": <developers> lists nobody");
    }
    Element scm = child(pom, "scm");
    if (scm != null && (text(scm, "url").isBlank() || text(scm, "connection").isBlank())) {
      fail(what + ": <scm> needs a url and a connection");
    }
  }

  /** The bundle's files by path: the zip of a release version, else the deferred snapshot staging. */
  private Map<String, byte[]> readBundle(Path root, String version) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    Path zipDir = root.resolve("target/central-publishing");
    Path deferred = root.resolve("target/central-deferred");
    List<Path> zips = Files.isDirectory(zipDir)
        ? Files.list(zipDir).filter(p -> p.toString().endsWith(".zip")).toList()
        : List.of();
    if (!version.endsWith("-SNAPSHOT")) {
      if (zips.size() != 1) {
        fail("expected one bundle zip in target/central-publishing, found " + zips);
        return files;
      }
      try (ZipFile zip = new ZipFile(zips.get(0).toFile())) {
        for (ZipEntry e : java.util.Collections.list(zip.entries())) {
          if (!e.isDirectory()) {
            try (InputStream in = zip.getInputStream(e)) {
              files.put(e.getName(), in.readAllBytes());
            }
          }
        }
      }
      return files;
    }
    if (!Files.isDirectory(deferred)) {
      fail("no target/central-deferred: did the release build run to deploy with -DskipUpload?");
      return files;
    }
    try (Stream<Path> walk = Files.walk(deferred)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(deferred.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private Map<String, Element> effectivePoms(Path root) throws Exception {
    Map<String, Element> poms = new TreeMap<>();
    Path file = root.resolve("target/effective-pom.xml");
    if (!Files.exists(file)) {
      fail("no target/effective-pom.xml (help:effective-pom -Doutput=target/effective-pom.xml)");
      return poms;
    }
    Element top = parse(Files.readAllBytes(file)).getDocumentElement();
    List<Element> projects = top.getTagName().equals("projects") ? children(top, "project") : List.of(top);
    for (Element project : projects) {
      poms.put(text(project, "artifactId"), project);
    }
    return poms;
  }

  private static String file(String base, String artifactId, String version, String suffix) {
    return base + artifactId + "/" + version + "/" + artifactId + "-" + version + suffix;
  }

  private static Document parse(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml));
  }

  private static Element child(Element parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> list = new ArrayList<>();
    if (parent != null) {
      for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals(name)) {
          list.add(e);
        }
      }
    }
    return list;
  }

  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? "" : e.getTextContent().trim();
  }
}
