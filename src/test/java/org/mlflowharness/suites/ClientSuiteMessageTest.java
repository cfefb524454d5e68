package org.mlflowharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlflowharness.client.OfficialClient.Result;
import org.mlflowharness.client.OfficialClient.Step;

/** What the client suite says when the server hands out presigned URLs the client cannot reach. */
class ClientSuiteMessageTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void namesTheUrlTheSettingAndBothFixesWithinTheReportedLength() throws Exception {
        Result result = new Result(
                "3.17.2",
                "3.11.7",
                List.of(),
                List.of(),
                JSON.readTree("{\"multipart_downloads_enabled\": true, \"multipart_uploads_enabled\": true}"),
                JSON.readTree(
                        "{\"unreachable\": [\"download URL http://127.0.0.1:43829/mlflow/artifacts/1/r/artifacts/p.txt?<signature> "
                                + "(ConnectionRefusedError: [Errno 111] Connection refused)\"]}"),
                false,
                Path.of("driver.log"));
        String m = ClientSuite.message(
                new Step(ClientSuite.PRESIGNED_STEP, false, 1, "", "AssertionError: unreachable", null, null), result);
        // SuiteRunner keeps 600 characters of a failure in the summary: the store's address, the setting and the
        // fixes fit.
        String summary = m.substring(0, Math.min(m.length(), 600 - "AssertionError: ".length()));
        assertThat(summary)
                .contains("http://127.0.0.1:43829")
                .contains("multipart_downloads_enabled=true")
                .contains("MLFLOW_S3_ENDPOINT_URL")
                .contains("MLFLOW_ENABLE_PROXY_MULTIPART_DOWNLOAD=false")
                .contains("publish the store");
        assertThat(m).contains("download URL http://127.0.0.1:43829/mlflow/artifacts/1/r/artifacts/p.txt?<signature>");

        String later = ClientSuite.message(
                new Step(
                        "download_artifacts sizes/ and compare SHA-256",
                        false,
                        1,
                        "",
                        "MlflowException: x",
                        null,
                        null),
                result);
        assertThat(later).startsWith("MlflowException: x").contains(ClientSuite.PRESIGNED_STEP);
    }
}
