package org.mlflowharness.model.load;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One scenario's part of the load section: a stepped scenario, an upload comparison, the resilience scenario, the data-volume
 * scenario, or the
 * error of one that could not complete. In JSON the kind is told by its keys, as the report has always been written.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({
    @JsonSubTypes.Type(SteppedResult.class),
    @JsonSubTypes.Type(UploadResult.class),
    @JsonSubTypes.Type(ResilienceResult.class),
    @JsonSubTypes.Type(VolumeResult.class),
    @JsonSubTypes.Type(ScenarioResult.NotCompleted.class)
})
public sealed interface ScenarioResult
        permits SteppedResult, UploadResult, ResilienceResult, VolumeResult, ScenarioResult.NotCompleted {

    /** A scenario that could not complete: why (the exception's class and message). */
    record NotCompleted(String error) implements ScenarioResult {}
}
