package io.github.tribuokd.timeseries;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.provenance.DataSourceProvenance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Provenance of a {@link SeriesSource}: its {@code @Config} fields and, once its series has been read, the SHA-256
 * hash and modification time of the file it was read from (under Tribuo's {@link DataSourceProvenance#RESOURCE_HASH}
 * and {@link DataSourceProvenance#FILE_MODIFIED_TIME} keys). The configuration part is what
 * {@code ProvenanceUtil.extractConfiguration} turns back into a source. Once loaded it also records the variable
 * names as read ({@value #VARIABLE_NAMES}, see {@link #variableNames()}), so a model trained on "every column" still
 * knows which columns, in which order, it reads.
 */
public final class SeriesSourceProvenance extends SkeletalConfiguredObjectProvenance {
    private static final long serialVersionUID = 1L;

    private static final String HOST_TYPE = "SeriesSource";

    /** Instance key of the variable names as read: comma-separated, a backslash escaping a comma or a backslash. */
    public static final String VARIABLE_NAMES = "variable-names";

    /** Hash of the file read, or null when the series had not been loaded. */
    private final HashProvenance fileHash;
    /** Modification time of the file read, or null when the series had not been loaded. */
    private final DateTimeProvenance fileModifiedTime;
    /** The variable names as read, or null when the series had not been loaded. */
    private final StringProvenance variableNames;

    /**
     * Creates the provenance of {@code host}.
     *
     * @param host             The source.
     * @param fileHash         The hash of the file read, or {@code null} before loading.
     * @param fileModifiedTime The modification time of the file read, or {@code null} before loading.
     * @param variableNames    The variable names as read, or {@code null} before loading.
     * @param <T>              The type of the source.
     */
    <T extends Configurable & SeriesSource> SeriesSourceProvenance(T host, HashProvenance fileHash,
                                                                  DateTimeProvenance fileModifiedTime,
                                                                  List<String> variableNames) {
        super(host, HOST_TYPE);
        this.fileHash = fileHash;
        this.fileModifiedTime = fileModifiedTime;
        this.variableNames = variableNames == null ? null : new StringProvenance(VARIABLE_NAMES, encode(variableNames));
    }

    /**
     * Deserialization constructor, used by OLCUT's provenance unmarshalling.
     *
     * @param map The provenance elements.
     */
    public SeriesSourceProvenance(Map<String, Provenance> map) {
        this(extract(map));
    }

    private SeriesSourceProvenance(ExtractedInfo info) {
        super(info);
        this.fileHash = (HashProvenance) info.instanceValues.get(DataSourceProvenance.RESOURCE_HASH);
        this.fileModifiedTime = (DateTimeProvenance) info.instanceValues.get(DataSourceProvenance.FILE_MODIFIED_TIME);
        this.variableNames = (StringProvenance) info.instanceValues.get(VARIABLE_NAMES);
    }

    private static ExtractedInfo extract(Map<String, Provenance> map) {
        String host = SeriesSourceProvenance.class.getSimpleName();
        Map<String, Provenance> configured = new HashMap<>(map);
        String className = ObjectProvenance.checkAndExtractProvenance(configured, CLASS_NAME,
                StringProvenance.class, host).getValue();
        String hostType = ObjectProvenance.checkAndExtractProvenance(configured, HOST_SHORT_NAME,
                StringProvenance.class, host).getValue();
        Map<String, PrimitiveProvenance<?>> instance = new HashMap<>();
        ObjectProvenance.maybeExtractProvenance(configured, DataSourceProvenance.RESOURCE_HASH,
                HashProvenance.class, host).ifPresent(p -> instance.put(DataSourceProvenance.RESOURCE_HASH, p));
        ObjectProvenance.maybeExtractProvenance(configured, DataSourceProvenance.FILE_MODIFIED_TIME,
                DateTimeProvenance.class, host).ifPresent(p -> instance.put(DataSourceProvenance.FILE_MODIFIED_TIME, p));
        ObjectProvenance.maybeExtractProvenance(configured, VARIABLE_NAMES, StringProvenance.class, host)
                .ifPresent(p -> instance.put(VARIABLE_NAMES, p));
        configured.remove(VARIABLE_NAMES);
        configured.remove(DataSourceProvenance.RESOURCE_HASH);
        configured.remove(DataSourceProvenance.FILE_MODIFIED_TIME);
        return new ExtractedInfo(className, hostType, configured, instance);
    }

    /**
     * Returns the SHA-256 hash of the file the series was read from, or {@code null} when the provenance was taken
     * before the series was loaded.
     *
     * @return The hash, in hexadecimal, or null.
     */
    public String fileHash() {
        return fileHash == null ? null : fileHash.getValue();
    }

    /**
     * Returns the variable names as read, or an empty list when the provenance was taken before the series was
     * loaded.
     *
     * @return The names, in column order.
     */
    public List<String> variableNames() {
        return variableNames == null ? new ArrayList<>() : decode(variableNames.getValue());
    }

    /**
     * Joins names with {@code ,}, escaping {@code \\} and {@code ,} with {@code \\}.
     *
     * @param names The names.
     * @return The text.
     */
    static String encode(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(names.get(i).replace("\\", "\\\\").replace(",", "\\,"));
        }
        return sb.toString();
    }

    /**
     * Splits text made by {@link #encode}.
     *
     * @param text The text.
     * @return The names.
     */
    public static List<String> decode(String text) {
        List<String> names = new ArrayList<>();
        if (text.isEmpty()) {
            return names;
        }
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(text.charAt(++i));
            } else if (c == ',') {
                names.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        names.add(current.toString());
        return names;
    }

    @Override
    public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
        Map<String, PrimitiveProvenance<?>> map = super.getInstanceValues();
        if (fileHash != null) {
            map.put(DataSourceProvenance.RESOURCE_HASH, fileHash);
        }
        if (fileModifiedTime != null) {
            map.put(DataSourceProvenance.FILE_MODIFIED_TIME, fileModifiedTime);
        }
        if (variableNames != null) {
            map.put(VARIABLE_NAMES, variableNames);
        }
        return map;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SeriesSourceProvenance) || !super.equals(o)) {
            return false;
        }
        SeriesSourceProvenance other = (SeriesSourceProvenance) o;
        return Objects.equals(fileHash, other.fileHash) && Objects.equals(fileModifiedTime, other.fileModifiedTime)
                && Objects.equals(variableNames, other.variableNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), fileHash, fileModifiedTime, variableNames);
    }
}
