package org.mlflowharness.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Who answered: nginx's own pages are not MLflow's answers; MLflow without its database names the database. */
class AnswerTest {

    static final String NGINX_502 =
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
                    + "<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n";
    static final String DB_GONE =
            "{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"(pymysql.err.OperationalError) (2003, "
                    + "\\\"Can't connect to MySQL server on '127.0.0.1' ([Errno 111] Connection refused)\\\")\"}";

    @Test
    void nginxErrorPagesAreNginxsAndSayWhatTheyMean() {
        Answer bad = Answer.of(502, NGINX_502);
        assertThat(bad.layer()).isEqualTo("nginx");
        assertThat(bad.meaning())
                .startsWith("nginx's own 502 page: nginx could not reach MLflow")
                .contains("MLflow never saw the request");
        assertThat(bad.component()).as("the component nginx could not reach").isEqualTo("mlflow");
        Answer def = Answer.of(503, NGINX_502.replace("502 Bad Gateway", "503 Service Temporarily Unavailable"));
        assertThat(def.meaning()).contains("default server").contains("server_name matches the Host header");
        assertThat(def.component()).isEqualTo("nginx");
        assertThat(Answer.of(504, NGINX_502.replace("502", "504")).meaning()).contains("proxy_read_timeout");
    }

    @Test
    void mlflowWithoutItsDatabaseNamesTheDatabase() {
        Answer a = Answer.of(503, DB_GONE);
        assertThat(a.cause()).isEqualTo("database connection error");
        assertThat(a.component()).isEqualTo("database");
        assertThat(a.stackDownCause()).contains("database connection error");
        Answer deadlock = Answer.of(500, "{\"error_code\": \"INTERNAL_ERROR\", \"message\": \"Deadlock found\"}");
        assertThat(deadlock.layer()).isEqualTo("mlflow");
        assertThat(deadlock.stackDownCause()).as("MLflow answered: it is up").isEmpty();
    }

    @Test
    void mlflowsHostCheckIsNamed() {
        Answer a = Answer.of(403, "Invalid Host header - possible DNS rebinding attack detected");
        assertThat(a.meaning())
                .contains("MLflow's host check refused the Host header nginx forwarded")
                .contains("--allowed-hosts");
        assertThat(a.stackDownCause()).isEmpty();
    }

    @Test
    void noAnswer() {
        assertThat(Answer.none("java.net.ConnectException: Connection refused").stackDownCause())
                .contains("connection refused");
        assertThat(Answer.none("Read timed out").stackDownCause()).isEmpty();
    }

    @Test
    void clientErrorsNameTheLayer() {
        assertThat(Answer.explain(502, NGINX_502)).startsWith("nginx's own 502 page");
        assertThat(Answer.explain(400, "{\"error_code\": \"INVALID_PARAMETER_VALUE\"}"))
                .isEqualTo("{\"error_code\": \"INVALID_PARAMETER_VALUE\"}");
    }
}
