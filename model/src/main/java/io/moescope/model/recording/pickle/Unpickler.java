package io.moescope.model.recording.pickle;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data-only pickle machine (protocols 2–5, the opcodes torch.save and plain pickles of dicts, lists, counters
 * and tensors use). GLOBAL and STACK_GLOBAL go through {@link Whitelist}; REDUCE applies only whitelisted Java
 * handlers; BUILD only sets a numpy dtype's byte order. Every length is checked against the input left and the
 * limits before anything is allocated. Python values become: None → null, bool → Boolean, int → Long (BigInteger
 * beyond 64 bits), float → Double, str → String, bytes → {@link PyBytes}, tuple → {@link PyTuple}, list →
 * ArrayList, dict → LinkedHashMap, set → LinkedHashSet, tensor → {@link Tensor}.
 */
public final class Unpickler {

    /** Resolves BINPERSID: torch's ("storage", class, key, location, numel) tuples. */
    public interface PersistentLoader {
        Object load(Object pid) throws PickleException;
    }

    private static final Object MARK = new Object();

    private final ByteBuffer in;
    private final PickleLimits limits;
    private final PersistentLoader persistent;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private Unpickler(byte[] data, PickleLimits limits, PersistentLoader persistent) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.limits = limits;
        this.persistent = persistent;
    }

    /** Runs the pickle in data to its STOP and returns the value left (persistent ids refused if loader is null). */
    public static Object load(byte[] data, PickleLimits limits, PersistentLoader persistent) throws PickleException {
        if (data.length > limits.maxPickleBytes()) {
            throw new PickleException(
                    "pickle of " + data.length + " bytes exceeds the limit of " + limits.maxPickleBytes());
        }
        return new Unpickler(data, limits, persistent).run();
    }

    private Object run() throws PickleException {
        while (true) {
            if (!in.hasRemaining()) {
                throw new PickleException("pickle truncated: no STOP opcode");
            }
            int at = in.position();
            int op = in.get() & 0xFF;
            switch (op) {
                case 0x80: { // PROTO
                    int v = u8();
                    if (v > 5) {
                        throw new PickleException("pickle protocol " + v + " (this reader handles 2 to 5)");
                    }
                    break;
                }
                case 0x95: // FRAME: the frame's bytes follow inline
                    u64();
                    break;
                case 0x2E: { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw new PickleException("pickle ends with " + stack.size() + " values on the stack");
                    }
                    return stack.get(0) == MARK ? fail("unbalanced MARK at STOP") : stack.get(0);
                }
                case 0x28: // MARK
                    if (marks.size() >= limits.maxMarks()) {
                        throw new PickleException("MARK nesting deeper than " + limits.maxMarks());
                    }
                    marks.add(stack.size());
                    push(MARK);
                    break;
                case 0x7D:
                    push(new LinkedHashMap<>());
                    break; // EMPTY_DICT
                case 0x5D:
                    push(new ArrayList<>());
                    break; // EMPTY_LIST
                case 0x29:
                    push(PyTuple.of());
                    break; // EMPTY_TUPLE
                case 0x8F:
                    push(new LinkedHashSet<>());
                    break; // EMPTY_SET
                case 0x74:
                    push(new PyTuple(popMark()));
                    break; // TUPLE
                case 0x91:
                    push(new LinkedHashSet<>(popMark()));
                    break; // FROZENSET
                case 0x85:
                    push(PyTuple.of(pop()));
                    break; // TUPLE1
                case 0x86: {
                    Object b = pop();
                    Object a = pop();
                    push(PyTuple.of(a, b));
                    break;
                } // TUPLE2
                case 0x87: {
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    push(PyTuple.of(a, b, c));
                    break;
                }
                case 0x4E:
                    push(null);
                    break; // NONE
                case 0x88:
                    push(Boolean.TRUE);
                    break; // NEWTRUE
                case 0x89:
                    push(Boolean.FALSE);
                    break; // NEWFALSE
                case 0x4B:
                    push((long) u8());
                    break; // BININT1
                case 0x4D:
                    need(2);
                    push((long) (in.getShort() & 0xFFFF));
                    break; // BININT2
                case 0x4A:
                    need(4);
                    push((long) in.getInt());
                    break; // BININT
                case 0x8A:
                    push(longOf(u8()));
                    break; // LONG1
                case 0x8B:
                    push(longOf(u32()));
                    break; // LONG4
                case 0x47:
                    need(8);
                    push(Double.longBitsToDouble(Long.reverseBytes(in.getLong())));
                    break; // BINFLOAT (big-endian)
                case 0x58:
                    push(utf8(u32()));
                    break; // BINUNICODE
                case 0x8C:
                    push(utf8(u8()));
                    break; // SHORT_BINUNICODE
                case 0x8D:
                    push(utf8(u64()));
                    break; // BINUNICODE8
                case 0x43:
                    push(new PyBytes(bytes(u8())));
                    break; // SHORT_BINBYTES
                case 0x42:
                    push(new PyBytes(bytes(u32())));
                    break; // BINBYTES
                case 0x8E:
                    push(new PyBytes(bytes(u64())));
                    break; // BINBYTES8
                case 0x71:
                    put(u8());
                    break; // BINPUT
                case 0x72:
                    put(u32());
                    break; // LONG_BINPUT
                case 0x94:
                    put(memo.size());
                    break; // MEMOIZE
                case 0x68:
                    push(get(u8()));
                    break; // BINGET
                case 0x6A:
                    push(get(u32()));
                    break; // LONG_BINGET
                case 0x30:
                    pop();
                    break; // POP
                case 0x31:
                    popMark();
                    break; // POP_MARK
                case 0x32:
                    push(peek());
                    break; // DUP
                case 0x63:
                    push(Whitelist.resolve(line(), line()));
                    break; // GLOBAL
                case 0x93: { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(name instanceof String n) || !(module instanceof String m)) {
                        throw new PickleException("STACK_GLOBAL on non-strings");
                    }
                    push(Whitelist.resolve(m, n));
                    break;
                }
                case 0x51: { // BINPERSID
                    Object pid = pop();
                    if (persistent == null) {
                        throw new PickleException("persistent id outside a torch archive");
                    }
                    push(persistent.load(pid));
                    break;
                }
                case 0x52: { // REDUCE
                    Object args = pop();
                    Object f = pop();
                    if (!(f instanceof Whitelist.Callable c)) {
                        throw new PickleException("REDUCE on " + Whitelist.typeName(f) + ", which is not callable");
                    }
                    if (!(args instanceof PyTuple t)) {
                        throw new PickleException("REDUCE with arguments that are not a tuple");
                    }
                    push(Whitelist.apply(c, t, limits));
                    break;
                }
                case 0x62: { // BUILD
                    Object state = pop();
                    Object target = peek();
                    if (!(target instanceof Whitelist.NumpyDType d)
                            || !(state instanceof PyTuple s)
                            || s.size() < 2
                            || !(s.get(1) instanceof String order)) {
                        throw new PickleException("BUILD on " + Whitelist.typeName(target) + " is not allowed");
                    }
                    d.order = order.equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                    break;
                }
                case 0x73: { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    dict(peek()).put(hashable(k), v);
                    break;
                }
                case 0x75: { // SETITEMS
                    List<Object> kv = popMark();
                    if (kv.size() % 2 != 0) {
                        throw new PickleException("SETITEMS with an odd number of values");
                    }
                    Map<Object, Object> d = dict(peek());
                    for (int i = 0; i < kv.size(); i += 2) {
                        d.put(hashable(kv.get(i)), kv.get(i + 1));
                    }
                    checkSize(d.size());
                    break;
                }
                case 0x61: { // APPEND
                    Object v = pop();
                    list(peek()).add(v);
                    break;
                }
                case 0x65: { // APPENDS
                    List<Object> vs = popMark();
                    List<Object> l = list(peek());
                    l.addAll(vs);
                    checkSize(l.size());
                    break;
                }
                case 0x90: { // ADDITEMS
                    List<Object> vs = popMark();
                    Object s = peek();
                    if (!(s instanceof Set<?>)) {
                        throw new PickleException("ADDITEMS on " + Whitelist.typeName(s));
                    }
                    @SuppressWarnings("unchecked")
                    Set<Object> set = (Set<Object>) s;
                    for (Object v : vs) {
                        set.add(hashable(v));
                    }
                    break;
                }
                default:
                    throw new PickleException(String.format("unsupported pickle opcode 0x%02x at byte %d", op, at));
            }
        }
    }

    /** Values usable as dict keys and set members: Python's immutable scalars and tuples of them. */
    static Object hashable(Object k) throws PickleException {
        if (k instanceof List || k instanceof Map || k instanceof Set || k instanceof Tensor || k == MARK) {
            throw new PickleException("unhashable dict key of type " + Whitelist.typeName(k));
        }
        if (k instanceof PyTuple t) {
            for (Object o : t.items()) {
                hashable(o);
            }
        }
        return k;
    }

    private static Object fail(String message) throws PickleException {
        throw new PickleException(message);
    }

    private void push(Object o) throws PickleException {
        if (stack.size() >= limits.maxStack()) {
            throw new PickleException("pickle stack deeper than " + limits.maxStack());
        }
        stack.add(o);
    }

    private Object pop() throws PickleException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw new PickleException("pickle stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws PickleException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw new PickleException("pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws PickleException {
        if (marks.isEmpty()) {
            throw new PickleException("pickle pops to a MARK that was never set");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) throws PickleException {
        if (!(o instanceof Map)) {
            throw new PickleException("SETITEM(S) on " + Whitelist.typeName(o));
        }
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) throws PickleException {
        if (!(o instanceof List)) {
            throw new PickleException("APPEND(S) on " + Whitelist.typeName(o));
        }
        return (List<Object>) o;
    }

    private void checkSize(int n) throws PickleException {
        if (n > limits.maxStack()) {
            throw new PickleException("container of more than " + limits.maxStack() + " items");
        }
    }

    private void put(long index) throws PickleException {
        if (memo.size() >= limits.maxMemo() && !memo.containsKey(index)) {
            throw new PickleException("pickle memo larger than " + limits.maxMemo());
        }
        memo.put(index, peek());
    }

    private Object get(long index) throws PickleException {
        if (!memo.containsKey(index)) {
            throw new PickleException("pickle reads memo slot " + index + ", which was never written");
        }
        return memo.get(index);
    }

    private int need(int n) throws PickleException {
        if (in.remaining() < n) {
            throw new PickleException("pickle truncated at byte " + in.position());
        }
        return 0;
    }

    private int u8() throws PickleException {
        need(1);
        return in.get() & 0xFF;
    }

    private long u32() throws PickleException {
        need(4);
        return in.getInt() & 0xFFFFFFFFL;
    }

    private long u64() throws PickleException {
        need(8);
        long v = in.getLong();
        if (v < 0) {
            throw new PickleException("pickle length " + Long.toUnsignedString(v) + " is impossible");
        }
        return v;
    }

    private int len(long n) throws PickleException {
        if (n > in.remaining()) {
            throw new PickleException("pickle truncated: an operand of " + n + " bytes, " + in.remaining() + " left");
        }
        return (int) n;
    }

    private byte[] bytes(long n) throws PickleException {
        byte[] b = new byte[len(n)];
        in.get(b);
        return b;
    }

    private String utf8(long n) throws PickleException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes(n)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PickleException("pickle string is not valid UTF-8");
        }
    }

    private Object longOf(long n) throws PickleException {
        if (n > limits.maxLongBytes()) {
            throw new PickleException("pickle integer of " + n + " bytes (limit " + limits.maxLongBytes() + ")");
        }
        byte[] le = bytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String line() throws PickleException {
        int start = in.position();
        while (in.hasRemaining()) {
            if (in.get() == '\n') {
                byte[] b = new byte[in.position() - start - 1];
                in.get(start, b);
                for (byte c : b) {
                    if (c < 0x20 || c > 0x7E) {
                        throw new PickleException("GLOBAL name is not printable ASCII");
                    }
                }
                return new String(b, StandardCharsets.US_ASCII);
            }
        }
        throw new PickleException("pickle truncated inside a GLOBAL");
    }
}
