package org.mlflowharness.model.load;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import java.io.IOException;
import java.util.Optional;

/**
 * A figure of the load report or, where there is none, the words that say why ("none", "n/a", "not ready", "not
 * counted (no database access)", "direct-s3 not run: ..."). In JSON it is the figure itself or that text, as the
 * report has always written it.
 */
@JsonSerialize(using = OrText.Writer.class)
@JsonDeserialize(using = OrText.Reader.class)
public record OrText<T>(T value, String text) {

    public static <T> OrText<T> of(T value) {
        return new OrText<>(value, null);
    }

    public static <T> OrText<T> text(String text) {
        return new OrText<>(null, text);
    }

    /** The figure, empty when there is only the text. */
    public Optional<T> figure() {
        return Optional.ofNullable(value);
    }

    /** The figure as written in JSON, or the text. */
    @Override
    public String toString() {
        return value != null ? String.valueOf(value) : text;
    }

    static final class Writer extends JsonSerializer<OrText<?>> {
        @Override
        public void serialize(OrText<?> o, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (o.value() != null) {
                provider.defaultSerializeValue(o.value(), gen);
            } else {
                gen.writeString(o.text());
            }
        }
    }

    static final class Reader extends JsonDeserializer<OrText<?>> implements ContextualDeserializer {
        private final JavaType type;

        Reader() {
            this(null);
        }

        private Reader(JavaType type) {
            this.type = type;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            return new Reader(ctxt.getContextualType().containedType(0));
        }

        @Override
        public OrText<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return OrText.text(p.getText());
            }
            return OrText.of(ctxt.readValue(p, type));
        }
    }
}
