package org.mlflowharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflowharness.model.load.LoadFixtures;
import org.mlflowharness.model.load.LoadSection;
import org.mlflowharness.model.load.ScenarioResult;
import org.mlflowharness.report.RunReport.Stage;
import org.mlflowharness.report.SuiteResult.Check;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitXmlTest {

    @TempDir
    Path dir;

    private static RunReport gate() {
        Map<String, ScenarioResult> scenarios = new LinkedHashMap<>();
        scenarios.put("metric-logging", LoadFixtures.stepped(List.of(), null));
        scenarios.put("large-upload", new ScenarioResult.NotCompleted("ConnectException: Connection refused"));
        SuiteResult auth = new SuiteResult(
                "AuthSuite",
                "auth",
                1,
                1,
                1,
                2.5,
                List.of(
                        new Check("no credentials > GET /api/2.0/mlflow/experiments/search", Check.PASSED, 0.12, null),
                        new Check(
                                "wrong password > PUT /api/2.0/mlflow-artifacts/artifacts/x",
                                Check.FAILED,
                                0.3,
                                "expected 401 from nginx, got 200 from MLflow\n  at AuthSuite.java:88 \u0007"),
                        Check.skipped("S3 not reachable <direct>", "no S3 endpoint given & none found")));
        SuiteResult health = new SuiteResult(
                "HealthSuite", "health", 1, 0, 0, 0.3, List.of(new Check("GET /health", Check.PASSED, 0.05, null)));
        return RunReport.of(
                "./harness gate --stack native",
                RunReportTest.T0,
                RunReportTest.T0.plusSeconds(9),
                "u",
                RunReportTest.STACK,
                List.of(new Stage("stack", 3, null), new Stage("suites", 4, null), new Stage("load", 2, null)),
                List.of(auth, health),
                new LoadSection(
                        "smoke",
                        null,
                        "fail",
                        scenarios,
                        null,
                        null,
                        List.of("mixed step 1 not run: the profile's time budget of 2.0 min is used up"),
                        List.of(),
                        "FAILED"),
                List.of(new Failure(Failure.Kind.PERFORMANCE, "load metric-logging step 1: p95 412 ms over 300 ms")),
                null);
    }

    @Test
    void everyFileValidatesAgainstTheLegacyJunitSchema() throws Exception {
        List<Path> files = JunitXml.write(gate(), dir);
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .containsExactly("TEST-AuthSuite.xml", "TEST-HealthSuite.xml", "TEST-gate.xml");
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(getClass().getResource("/junit/junit-legacy.xsd"));
        for (Path f : files) {
            schema.newValidator().validate(new StreamSource(f.toFile())); // throws, naming the line, when invalid
        }
    }

    @Test
    void aFailedCheckIsAFailedTestCaseWithItsClassLeadingTheMessage() throws Exception {
        JunitXml.write(gate(), dir);
        Element suite = parse(dir.resolve("TEST-AuthSuite.xml"));
        assertThat(suite.getAttribute("tests")).isEqualTo("3");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        NodeList cases = suite.getElementsByTagName("testcase");
        Element failed = (Element) cases.item(1);
        assertThat(failed.getAttribute("classname")).isEqualTo("AuthSuite");
        assertThat(failed.getAttribute("name")).isEqualTo("wrong password > PUT /api/2.0/mlflow-artifacts/artifacts/x");
        Element failure = (Element) failed.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message"))
                .as("one line, the class of the failure first")
                .isEqualTo("security: expected 401 from nginx, got 200 from MLflow");
        assertThat(failure.getTextContent()).contains("at AuthSuite.java:88").doesNotContain("\u0007");
        Element skipped = (Element)
                ((Element) cases.item(2)).getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).isEqualTo("no S3 endpoint given & none found");
        assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength())
                .isZero();
    }

    @Test
    void theCommandsFileHoldsItsStagesAndALoadCheckPerScenario() throws Exception {
        JunitXml.write(gate(), dir);
        Element run = parse(dir.resolve("TEST-gate.xml"));
        NodeList cases = run.getElementsByTagName("testcase");
        assertThat(cases.getLength()).as("3 stages, 2 scenarios, 1 not run").isEqualTo(6);
        assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo("stage stack");
        Element logging = (Element) cases.item(3);
        assertThat(logging.getAttribute("name")).isEqualTo("load metric-logging: SLOs and integrity");
        assertThat(((Element) logging.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("performance: metric-logging step 1: p95 412 ms over 300 ms");
        Element upload = (Element) cases.item(4);
        assertThat(((Element) upload.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("load large-upload: ConnectException: Connection refused");
        Element mixed = (Element) cases.item(5);
        assertThat(mixed.getAttribute("name")).isEqualTo("load: mixed step 1");
        assertThat(((Element) mixed.getElementsByTagName("skipped").item(0)).getAttribute("message"))
                .startsWith("mixed step 1 not run: the profile's time budget");
        assertThat(run.getAttribute("failures")).isEqualTo("2");
        assertThat(run.getAttribute("skipped")).isEqualTo("1");
    }

    @Test
    void aCheckIsClassedByTheLayerItsMessageNamesAsTheHeadlineIs() throws Exception {
        SuiteResult security = FailureCausesTest.suite(
                "SecuritySuite", "security", FailureCausesTest.DENIED, "expected 4xx, got 200 with root:x:0:0");
        RunReport report = FailureCausesTest.report(security);
        JunitXml.write(report, dir);
        NodeList failures = parse(dir.resolve("TEST-SecuritySuite.xml")).getElementsByTagName("failure");
        assertThat(((Element) failures.item(0)).getAttribute("type"))
                .as("a database privilege is data integrity, as in the headline's classes")
                .isEqualTo("data integrity");
        assertThat(((Element) failures.item(1)).getAttribute("type")).isEqualTo("security");
    }

    @Test
    void aStageThatCouldNotCompleteFails() throws Exception {
        RunReport broken = RunReport.of(
                "gate",
                RunReportTest.T0,
                RunReportTest.T0,
                null,
                null,
                List.of(new Stage("stack", 0.4, "nginx: port 15000 in use -> pass another --port")),
                List.of(),
                null,
                List.of(),
                null);
        JunitXml.write(broken, dir);
        Element run = parse(dir.resolve("TEST-gate.xml"));
        Element stage = (Element) run.getElementsByTagName("testcase").item(0);
        assertThat(((Element) stage.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("stage stack: nginx: port 15000 in use -> pass another --port");
        assertThat(Files.list(dir)).hasSize(1);
    }

    private static Element parse(Path file) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return doc.getDocumentElement();
    }
}
