package org.mlflowharness.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mlflowharness.config.Sizes;
import org.mlflowharness.model.load.UploadResult.FirstFailure;
import org.mlflowharness.model.load.UploadResult.SizeResult;
import org.mlflowharness.model.load.UploadResult.Spread;

/**
 * Per-size results of concurrent transfers (proxied uploads or the direct-S3 baseline): MB/s per transfer and in total,
 * the largest size where every transfer succeeded and verified, and how the next size failed.
 */
public final class UploadResults {

    /**
     * One transfer. {@code outcome} "200" when acknowledged, else the status, "no response (timeout)" and the like, or
     * the exception's short form; {@code detail} the full reason of a failure (null when there is none).
     */
    public record Transfer(long size, String outcome, String detail, boolean verified, long startNanos, long endNanos) {
        boolean ok() {
            return "200".equals(outcome) && verified;
        }
    }

    private final List<Transfer> transfers = new ArrayList<>();

    public synchronized void add(Transfer t) {
        transfers.add(t);
    }

    /** True when every transfer of {@code size} succeeded and verified (and there was one). */
    public synchronized boolean allOk(long size) {
        List<Transfer> of = transfers.stream().filter(t -> t.size() == size).toList();
        return !of.isEmpty() && of.stream().allMatch(Transfer::ok);
    }

    public synchronized List<Transfer> transfers() {
        return List.copyOf(transfers);
    }

    /** Aggregate MB/s of the successful transfers of one size (all bytes over first start .. last end). */
    public synchronized double aggregateMbps(long size) {
        List<Transfer> ok =
                transfers.stream().filter(t -> t.size() == size && t.ok()).toList();
        if (ok.isEmpty()) {
            return 0;
        }
        long first = ok.stream().mapToLong(Transfer::startNanos).min().orElseThrow();
        long last = ok.stream().mapToLong(Transfer::endNanos).max().orElseThrow();
        return Throughput.aggregateMbps(size * ok.size(), first, last);
    }

    /** Largest size at which every transfer succeeded and verified; 0 when none did. */
    public synchronized long largestOk() {
        TreeMap<Long, Boolean> bySize = new TreeMap<>();
        transfers.forEach(t -> bySize.merge(t.size(), t.ok(), Boolean::logicalAnd));
        long best = 0;
        for (Map.Entry<Long, Boolean> e : bySize.entrySet()) {
            if (!e.getValue()) {
                break;
            }
            best = e.getKey();
        }
        return best;
    }

    /** How the first failing size failed (outcomes counted), or null when nothing failed. */
    public synchronized FirstFailure firstFailure() {
        TreeMap<Long, List<Transfer>> bySize = new TreeMap<>();
        transfers.forEach(
                t -> bySize.computeIfAbsent(t.size(), s -> new ArrayList<>()).add(t));
        for (Map.Entry<Long, List<Transfer>> e : bySize.entrySet()) {
            Map<String, Integer> outcomes = new TreeMap<>();
            e.getValue().stream()
                    .filter(t -> !t.ok())
                    .forEach(t -> outcomes.merge(
                            "200".equals(t.outcome()) ? "200 but content differs" : t.outcome(), 1, Integer::sum));
            if (!outcomes.isEmpty()) {
                return new FirstFailure(
                        Sizes.format(e.getKey()),
                        outcomes,
                        e.getValue().stream()
                                .filter(t -> !t.ok() && t.detail() != null)
                                .findFirst()
                                .map(Transfer::detail)
                                .orElse(null),
                        Throughput.round2(e.getValue().stream()
                                        .filter(t -> !t.ok())
                                        .mapToLong(t -> t.endNanos() - t.startNanos())
                                        .max()
                                        .orElse(0)
                                / 1e9));
            }
        }
        return null;
    }

    /** Percentage of transfers that did not succeed and verify; 0 when there were none. */
    public synchronized double failedPct() {
        return transfers.isEmpty()
                ? 0
                : 100.0 * transfers.stream().filter(t -> !t.ok()).count() / transfers.size();
    }

    /** Transfers acknowledged with 200 whose content did not verify: integrity failures. */
    public synchronized long corrupted() {
        return transfers.stream()
                .filter(t -> "200".equals(t.outcome()) && !t.verified())
                .count();
    }

    /** Per size: count, ok, MB/s per transfer (min/median/max) and aggregate. */
    public synchronized Map<String, SizeResult> bySize() {
        TreeMap<Long, List<Transfer>> bySize = new TreeMap<>();
        transfers.forEach(
                t -> bySize.computeIfAbsent(t.size(), s -> new ArrayList<>()).add(t));
        Map<String, SizeResult> out = new LinkedHashMap<>();
        bySize.forEach((size, ts) -> {
            double[] per = ts.stream()
                    .filter(Transfer::ok)
                    .mapToDouble(t -> Throughput.mbps(size, t.endNanos() - t.startNanos()))
                    .sorted()
                    .toArray();
            Map<String, Integer> outcomes = new TreeMap<>();
            ts.forEach(t -> outcomes.merge(
                    t.ok() ? "ok" : "200".equals(t.outcome()) ? "content differs" : t.outcome(), 1, Integer::sum));
            out.put(
                    Sizes.format(size),
                    new SizeResult(
                            ts.size(),
                            per.length,
                            per.length == 0
                                    ? null
                                    : new Spread(
                                            Throughput.round2(per[0]),
                                            Throughput.round2(per[per.length / 2]),
                                            Throughput.round2(per[per.length - 1])),
                            per.length == 0 ? null : Throughput.round2(aggregateMbps(size)),
                            outcomes));
        });
        return out;
    }
}
