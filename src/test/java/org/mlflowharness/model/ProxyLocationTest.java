package org.mlflowharness.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyLocationTest {

    @Test
    void eachRequestIsNamedByTheLocationNginxServesItFrom() {
        List<ProxyLocation> normal = ProxyLocation.served(Fault.NONE);
        assertThat(ProxyLocation.serving(normal, "/ajax-api/3.0/mlflow/server-info")
                        .name())
                .startsWith("location ~ ^/(ajax-)?api/3");
        assertThat(ProxyLocation.serving(normal, "/api/3.0/mlflow/server-info?x=1")
                        .name())
                .startsWith("location ~ ^/(ajax-)?api/3");
        assertThat(ProxyLocation.serving(normal, "/ajax-api/2.0/mlflow/experiments/search")
                        .name())
                .startsWith("location / ");
        List<ProxyLocation> faulted = ProxyLocation.served(Fault.NGINX_DROP_HEADERS);
        assertThat(ProxyLocation.serving(faulted, "/ajax-api/2.0/mlflow/experiments/search?max_results=1")
                        .name())
                .isEqualTo("location /ajax-api/ (fault nginx-drop-headers)");
        assertThat(ProxyLocation.serving(faulted, "/ajax-api/3.0/mlflow/server-info")
                        .name())
                .as("a regex location wins over a prefix")
                .startsWith("location ~ ^/(ajax-)?api/3");
        assertThat(ProxyLocation.served(Fault.MLFLOW_PRESIGNED_URLS))
                .extracting(ProxyLocation::name)
                .containsExactly("location / (every other request)");
    }

    @Test
    void everyLocationHasARequestThatLandsInIt() {
        for (Fault f : Fault.values()) {
            List<ProxyLocation> locations = ProxyLocation.served(f);
            for (ProxyLocation l : locations) {
                assertThat(l.probes())
                        .as("%s / %s", f, l.name())
                        .anyMatch(p -> ProxyLocation.serving(locations, p.target()) == l);
            }
        }
    }

    @Test
    void serverInfosRewriteIsOnlyTheTwoFlags() {
        ProxyLocation serverInfo = ProxyLocation.served(Fault.NONE).get(0);
        assertThat(
                        serverInfo
                                .rewrite()
                                .apply(
                                        "{\"store_type\":\"SqlStore\",\"multipart_uploads_enabled\":true,\"multipart_downloads_enabled\":true}"))
                .isEqualTo(
                        "{\"store_type\":\"SqlStore\",\"multipart_uploads_enabled\":false,\"multipart_downloads_enabled\":false}");
    }
}
