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

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Provenance of a {@link SeriesSource}: its {@code @Config} fields and, once its series has been read, the SHA-256
 * hash and modification time of the file it was read from (under Tribuo's {@link DataSourceProvenance#RESOURCE_HASH}
 * and {@link DataSourceProvenance#FILE_MODIFIED_TIME} keys). The configuration part is what
 * {@code ProvenanceUtil.extractConfiguration} turns back into a source.
 */
public final class SeriesSourceProvenance extends SkeletalConfiguredObjectProvenance {
    private static final long serialVersionUID = 1L;

    private static final String HOST_TYPE = "SeriesSource";

    /** Hash of the file read, or null when the series had not been loaded. */
    private final HashProvenance fileHash;
    /** Modification time of the file read, or null when the series had not been loaded. */
    private final DateTimeProvenance fileModifiedTime;

    /**
     * Creates the provenance of {@code host}.
     *
     * @param host             The source.
     * @param fileHash         The hash of the file read, or {@code null} before loading.
     * @param fileModifiedTime The modification time of the file read, or {@code null} before loading.
     * @param <T>              The type of the source.
     */
    <T extends Configurable & SeriesSource> SeriesSourceProvenance(T host, HashProvenance fileHash,
                                                                  DateTimeProvenance fileModifiedTime) {
        super(host, HOST_TYPE);
        this.fileHash = fileHash;
        this.fileModifiedTime = fileModifiedTime;
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

    @Override
    public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
        Map<String, PrimitiveProvenance<?>> map = super.getInstanceValues();
        if (fileHash != null) {
            map.put(DataSourceProvenance.RESOURCE_HASH, fileHash);
        }
        if (fileModifiedTime != null) {
            map.put(DataSourceProvenance.FILE_MODIFIED_TIME, fileModifiedTime);
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
        return Objects.equals(fileHash, other.fileHash) && Objects.equals(fileModifiedTime, other.fileModifiedTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), fileHash, fileModifiedTime);
    }
}
