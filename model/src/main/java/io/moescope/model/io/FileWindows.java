package io.moescope.model.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * Read-only maps of one weight file, cut from a few large windows instead of one {@code mmap} per tensor: window k
 * maps file bytes [k · {@link #WINDOW}, k · WINDOW + WINDOW + {@link #REACH}), so every range of at most REACH bytes
 * lies inside one window and is returned as a slice of it; longer ranges get a map of their own.
 *
 * <p>Why: a window starts at a file offset that is a multiple of 2 MiB, so the kernel places it at a 2 MiB-aligned
 * address and can map the page cache's 2 MiB folios with one page-table entry each. A map per tensor starts at the
 * tensor's offset: only the 2 MiB-aligned interior of each tensor can be mapped that way, and the rest takes 4 KiB
 * entries — half of an OLMoE expert's 4 MiB, 512 times the TLB entries. On this project's virtual machines a TLB
 * miss is costly and the BF16 decode ran at a fraction of the memory bandwidth (docs/benchmarks.md, "Mapped in
 * windows"); llama.cpp maps each file whole. The windows of a file cost address space only (up to 1.5× the file),
 * pages are read as touched, and a slice keeps its window mapped for as long as it is used.
 */
public final class FileWindows {

    /** Window stride: 1 GiB (a multiple of 2 MiB). */
    public static final long WINDOW = Long.getLong("moescope.mapWindow", 1L << 30);
    /** Longest range served from a window (windows overlap by this much): 512 MiB. */
    public static final long REACH = Long.getLong("moescope.mapReach", 1L << 29);

    private final FileChannel channel;
    private final long size;
    private final long window;
    private final long reach;
    private final Map<Long, ByteBuffer> windows = new HashMap<>();

    public FileWindows(FileChannel channel) throws IOException {
        this(channel, WINDOW, REACH);
    }

    /** With other window sizes (tests); {@code window + reach} must stay below 2 GiB. */
    FileWindows(FileChannel channel, long window, long reach) throws IOException {
        if (window <= 0 || reach < 0 || window + reach > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window " + window + ", reach " + reach);
        }
        this.channel = channel;
        this.size = channel.size();
        this.window = window;
        this.reach = reach;
    }

    /** File bytes [offset, offset + length) as a read-only little-endian buffer; length below 2 GiB. */
    public synchronized ByteBuffer map(long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || length > Integer.MAX_VALUE || offset > size - length) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of a " + size + "-byte file");
        }
        if (length > reach) {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        }
        long k = offset / window;
        ByteBuffer w = windows.get(k);
        if (w == null) {
            long start = k * window;
            w = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(size - start, window + reach));
            windows.put(k, w);
        }
        return w.slice((int) (offset - k * window), (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Drops this object's references to its windows (slices handed out keep theirs mapped). */
    public synchronized void release() {
        windows.clear();
    }
}
