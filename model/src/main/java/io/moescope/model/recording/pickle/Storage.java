package io.moescope.model.recording.pickle;

import java.nio.ByteOrder;

/**
 * The raw bytes behind one or more tensors (a torch storage, or the data of a numpy array). Bytes are read
 * only when a tensor is read, and not kept: a caller that streams over many tensors holds one at a time.
 *
 * @param key        the archive key ({@code data/<key>}), or a description for numpy data
 * @param type       element type of a typed storage, or null for torch's UntypedStorage (bytes)
 * @param byteLength bytes of the storage, checked against the archive entry
 */
public record Storage(String key, ElementType type, long byteLength, ByteOrder order, Loader loader) {

    /** Reads the storage's bytes (exactly byteLength of them). */
    public interface Loader {
        byte[] load() throws PickleException;
    }

    byte[] load() throws PickleException {
        byte[] b = loader.load();
        if (b.length != byteLength) {
            throw new PickleException("storage " + key + " has " + b.length + " bytes, expected " + byteLength);
        }
        return b;
    }
}
