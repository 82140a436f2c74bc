package dev.cove.java.inline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites a class that {@link InlineCheck} passed so that its activation's {@link Budget} can always
 * stop it.
 *
 * <p><b>Model.</b> Every cycle in a method's control flow goes back through a backward jump or switch,
 * or through an exception handler (a handler may sit before the code that throws into it); recursion
 * goes through a method entry. A {@code Budget.tick()} goes at each of these: at every method entry
 * (constructors before {@code super()}, {@code <clinit>}, lambda bodies), before every jump or switch
 * with a target at or before it, and first in every exception handler, as {@code Budget.caught(t)},
 * which also throws a stop, a stack overflow or a JVM out-of-memory on, so that no {@code catch} or
 * {@code finally} swallows them (a finally block does not run then). So the code between two ticks
 * is straight-line code of at most one method. Calls into the JDK are the exception: one straight-line
 * run can call it many times, and each call can double what the last one made ({@code s = s + s}), so a
 * tick also goes before a call out of the class when another call came since the last tick.
 *
 * <p>Arrays the function makes are charged before they exist ({@code Budget.newArray}), and so are
 * the JDK calls the allow-list marks as allocating a size (a capacity, a copy's length). Calls that can
 * park the virtual thread (printing, the platform's cache and invoke) are wrapped in
 * {@code Budget.beforeBlocking()}/{@code afterBlocking()} so that the carrier's allocations by other
 * threads meanwhile are not charged.
 *
 * <p><b>Costs.</b> A tick is a static call to a method the JIT inlines: a ThreadLocal read and a
 * volatile read. Stack map frames are kept from the input (every insertion leaves the stack and locals
 * as they were at its point, so the frames stay true) and only the maximum stack is recomputed
 * ({@code COMPUTE_MAXS}), which needs no class loading, unlike {@code COMPUTE_FRAMES}.
 *
 * <p><b>Failure modes.</b> A method near the 64 KB code limit may overflow it once instrumented
 * ({@code MethodTooLargeException}); the loader then refuses the class. A handler inside its own
 * range would catch its own {@code caught(t)} and loop for ever, so every handler's prologue is cut
 * out of every range: a stop thrown there leaves the method.
 */
final class Metering {
    private static final String BUDGET = Type.getInternalName(Budget.class);
    /** The bytes of a reference in an array, with compressed oops (heaps under 32 GB). */
    private static final int REFERENCE_BYTES = 4;

    private Metering() {}

    /** The class, with its activation's checks in. */
    static byte[] instrument(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        for (MethodNode method : node.methods) {
            if (method.instructions.size() > 0) {
                new MethodMeter(node, method).meter();
            }
        }
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        node.accept(writer);
        return writer.toByteArray();
    }

    /** One method's rewriting; decisions are taken on the original instructions, then applied. */
    private static final class MethodMeter {
        private final ClassNode owner;
        private final MethodNode method;
        private final AbstractInsnNode[] code;
        private final Map<AbstractInsnNode, Integer> index = new HashMap<>();

        MethodMeter(ClassNode owner, MethodNode method) {
            this.owner = owner;
            this.method = method;
            this.code = method.instructions.toArray();
            for (int i = 0; i < code.length; i++) {
                index.put(code[i], i);
            }
        }

        void meter() {
            Set<AbstractInsnNode> backEdges = backEdges();
            Set<AbstractInsnNode> handlers = handlerStarts();
            Set<AbstractInsnNode> callTicks = callsNeedingTick(backEdges, handlers);
            InsnList insns = method.instructions;
            List<LabelNode[]> prologues = new ArrayList<>();
            for (AbstractInsnNode insn : code) {
                if (handlers.contains(insn)) {
                    LabelNode[] fence = {new LabelNode(), new LabelNode()};
                    insns.insertBefore(insn, caught(fence));
                    prologues.add(fence);
                }
                if (backEdges.contains(insn) || callTicks.contains(insn)) {
                    insns.insertBefore(insn, call("tick", "()V"));
                }
                charge(insn);
                wrapBlocking(insn);
            }
            insns.insert(call("tick", "()V")); // the entry
            method.tryCatchBlocks = fenced(prologues);
        }

        /**
         * The exception table with every handler's prologue cut out of every range: what the prologue
         * throws leaves the method. Else a handler whose range covers its own start (javac makes one for
         * {@code finally { continue; }}) would catch its prologue's throw, and throw it again, for ever.
         */
        private List<TryCatchBlockNode> fenced(List<LabelNode[]> prologues) {
            InsnList insns = method.instructions;
            List<TryCatchBlockNode> blocks = new ArrayList<>();
            for (TryCatchBlockNode block : method.tryCatchBlocks) {
                LabelNode from = block.start;
                for (LabelNode[] fence : prologues.stream().sorted(Comparator.comparingInt(f -> insns.indexOf(f[0]))).toList()) {
                    if (insns.indexOf(from) <= insns.indexOf(fence[0]) && insns.indexOf(fence[1]) <= insns.indexOf(block.end)) {
                        addRange(blocks, block, from, fence[0]);
                        from = fence[1];
                    }
                }
                addRange(blocks, block, from, block.end);
            }
            return blocks;
        }

        /** The part {@code [from, to)} of a block's range, unless it holds no instruction (the JVM refuses those). */
        private static void addRange(List<TryCatchBlockNode> blocks, TryCatchBlockNode block, LabelNode from, LabelNode to) {
            for (AbstractInsnNode insn = from; insn != null && insn != to; insn = insn.getNext()) {
                if (insn.getOpcode() >= 0) {
                    blocks.add(new TryCatchBlockNode(from, to, block.handler, block.type));
                    return;
                }
            }
        }

        /** Jumps and switches with a target at or before them. */
        private Set<AbstractInsnNode> backEdges() {
            Set<AbstractInsnNode> edges = new HashSet<>();
            for (int i = 0; i < code.length; i++) {
                for (LabelNode target : targets(code[i])) {
                    if (index.get(target) <= i) {
                        edges.add(code[i]);
                    }
                }
            }
            return edges;
        }

        /** The first instruction of every exception handler. */
        private Set<AbstractInsnNode> handlerStarts() {
            Set<AbstractInsnNode> starts = new HashSet<>();
            for (TryCatchBlockNode block : method.tryCatchBlocks) {
                AbstractInsnNode insn = block.handler;
                while (insn != null && insn.getOpcode() < 0) {
                    insn = insn.getNext(); // past the label, its frame and line number
                }
                if (insn != null) {
                    starts.add(insn);
                }
            }
            return starts;
        }

        /**
         * Calls out of the class that some path reaches with another call since the last tick: a
         * forward data flow of "a call came since the last tick" over the method's jumps.
         */
        private Set<AbstractInsnNode> callsNeedingTick(Set<AbstractInsnNode> backEdges, Set<AbstractInsnNode> handlers) {
            boolean[] reached = new boolean[code.length];
            boolean[] dirty = new boolean[code.length];
            Deque<Integer> work = new ArrayDeque<>();
            reached[0] = true;
            work.push(0);
            for (AbstractInsnNode start : handlers) {
                reached[index.get(start)] = true;
                work.push(index.get(start));
            }
            while (!work.isEmpty()) {
                int i = work.pop();
                boolean in = dirty[i] && !backEdges.contains(code[i]) && !handlers.contains(code[i]);
                boolean out = isCall(code[i]) || in;
                for (int next : successors(i)) {
                    if (!reached[next] || out && !dirty[next]) {
                        reached[next] = true;
                        dirty[next] |= out;
                        work.push(next);
                    }
                }
            }
            Set<AbstractInsnNode> needing = new HashSet<>();
            for (int i = 0; i < code.length; i++) {
                if (dirty[i] && isOutwardCall(code[i]) && !backEdges.contains(code[i]) && !handlers.contains(code[i])) {
                    needing.add(code[i]);
                }
            }
            return needing;
        }

        private List<Integer> successors(int i) {
            AbstractInsnNode insn = code[i];
            int op = insn.getOpcode();
            if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN || op == Opcodes.ATHROW) {
                return List.of();
            }
            List<LabelNode> targets = targets(insn);
            boolean fallsThrough = op != Opcodes.GOTO && !(insn instanceof TableSwitchInsnNode)
                    && !(insn instanceof LookupSwitchInsnNode);
            List<Integer> next = new ArrayList<>();
            targets.forEach(t -> next.add(index.get(t)));
            if (fallsThrough && i + 1 < code.length) {
                next.add(i + 1);
            }
            return next;
        }

        private static List<LabelNode> targets(AbstractInsnNode insn) {
            return switch (insn) {
                case JumpInsnNode jump -> List.of(jump.label);
                case TableSwitchInsnNode table -> concat(table.labels, table.dflt);
                case LookupSwitchInsnNode lookup -> concat(lookup.labels, lookup.dflt);
                default -> List.of();
            };
        }

        private static List<LabelNode> concat(List<LabelNode> labels, LabelNode last) {
            List<LabelNode> all = new ArrayList<>(labels);
            all.add(last);
            return all;
        }

        /** Any call: even one into this class may end in a JDK call after its callee's last tick. */
        private static boolean isCall(AbstractInsnNode insn) {
            return insn instanceof MethodInsnNode || insn instanceof InvokeDynamicInsnNode;
        }

        /** A call whose callee does not tick on entry: not a method of this class. */
        private boolean isOutwardCall(AbstractInsnNode insn) {
            if (insn instanceof InvokeDynamicInsnNode) {
                return true;
            }
            return insn instanceof MethodInsnNode call && !(call.owner.equals(owner.name) && declared(call.name, call.desc));
        }

        private boolean declared(String name, String descriptor) {
            return owner.methods.stream().anyMatch(m -> m.name.equals(name) && m.desc.equals(descriptor)
                    && (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0);
        }

        /** Charges arrays before they are made, and the JDK calls the allow-list marks as allocating. */
        private void charge(AbstractInsnNode insn) {
            InsnList insns = method.instructions;
            switch (insn) {
                case IntInsnNode array when array.getOpcode() == Opcodes.NEWARRAY ->
                        insns.insertBefore(insn, chargeTop(primitiveBytes(array.operand)));
                case TypeInsnNode array when array.getOpcode() == Opcodes.ANEWARRAY ->
                        insns.insertBefore(insn, chargeTop(REFERENCE_BYTES));
                case MultiANewArrayInsnNode array -> insns.insertBefore(insn, chargeDimensions(array));
                case MethodInsnNode call -> {
                    OptionalInt bytes = AllowList.standard().charge(call.owner, call.name, call.desc);
                    if (bytes.isPresent()) {
                        insns.insertBefore(insn, bytes.getAsInt() > 0 ? chargeTop(bytes.getAsInt()) : chargeRange(-bytes.getAsInt()));
                    }
                }
                default -> { }
            }
        }

        /** {@code length -> Budget.newArray(length, bytes)}: the length stays on the stack. */
        private static InsnList chargeTop(int bytes) {
            InsnList list = new InsnList();
            list.add(pushInt(bytes));
            list.add(call("newArray", "(II)I"));
            return list;
        }

        /** {@code from, to -> from, to} after {@code Budget.newArrayRange(from, to, bytes)}. */
        private static InsnList chargeRange(int bytes) {
            InsnList list = new InsnList();
            list.add(new InsnNode(Opcodes.DUP2));
            list.add(pushInt(bytes));
            list.add(call("newArrayRange", "(III)V"));
            return list;
        }

        /** Stores the dimensions in fresh locals, charges them as an int[], and loads them back. */
        private InsnList chargeDimensions(MultiANewArrayInsnNode array) {
            int base = method.maxLocals;
            method.maxLocals += array.dims;
            InsnList list = new InsnList();
            for (int d = array.dims - 1; d >= 0; d--) {
                list.add(new VarInsnNode(Opcodes.ISTORE, base + d));
            }
            list.add(pushInt(array.dims));
            list.add(new IntInsnNode(Opcodes.NEWARRAY, Opcodes.T_INT));
            for (int d = 0; d < array.dims; d++) {
                list.add(new InsnNode(Opcodes.DUP));
                list.add(pushInt(d));
                list.add(new VarInsnNode(Opcodes.ILOAD, base + d));
                list.add(new InsnNode(Opcodes.IASTORE));
            }
            list.add(pushInt(leafBytes(array.desc.substring(array.dims))));
            list.add(call("newArrays", "([II)V"));
            for (int d = 0; d < array.dims; d++) {
                list.add(new VarInsnNode(Opcodes.ILOAD, base + d));
            }
            return list;
        }

        /** Calls that can park the virtual thread, so that the carrier may run others meanwhile. */
        private void wrapBlocking(AbstractInsnNode insn) {
            if (insn instanceof MethodInsnNode call && mayBlock(call)) {
                method.instructions.insertBefore(insn, call("beforeBlocking", "()V"));
                method.instructions.insert(insn, call("afterBlocking", "()V"));
            }
        }

        /**
         * Printing takes the shared stream's lock; the platform's cache and calls wait for answers; a
         * random UUID takes the shared SecureRandom's lock; a sleep parks. Other allowed calls may park on a JDK lock
         * rarely and briefly (a class's initialisation, a first lookup of a charset or locale): what
         * other virtual threads allocate on the carrier then is charged to the function.
         */
        private static boolean mayBlock(MethodInsnNode call) {
            return switch (call.owner) {
                case "java/io/PrintStream", "dev/cove/api/Cache" -> true;
                case "dev/cove/api/Context" -> call.name.equals("invoke") || call.name.equals("send");
                case "java/lang/Throwable" -> call.name.equals("printStackTrace");
                case "java/util/UUID" -> call.name.equals("randomUUID");
                case "java/lang/Thread" -> call.name.equals("sleep");
                default -> false;
            };
        }
    }

    /** {@code t -> t} after {@code Budget.caught(t)}, between the fence's two labels. */
    private static InsnList caught(LabelNode[] fence) {
        InsnList list = new InsnList();
        list.add(fence[0]);
        list.add(new InsnNode(Opcodes.DUP));
        list.add(call("caught", "(Ljava/lang/Throwable;)V"));
        list.add(fence[1]);
        return list;
    }

    private static InsnList call(String name, String descriptor) {
        InsnList list = new InsnList();
        list.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BUDGET, name, descriptor, false));
        return list;
    }

    private static AbstractInsnNode pushInt(int value) {
        if (value >= -1 && value <= 5) {
            return new InsnNode(Opcodes.ICONST_0 + value);
        }
        if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            return new IntInsnNode(Opcodes.BIPUSH, value);
        }
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return new IntInsnNode(Opcodes.SIPUSH, value);
        }
        return new LdcInsnNode(value);
    }

    private static int primitiveBytes(int arrayType) {
        return switch (arrayType) {
            case Opcodes.T_BOOLEAN, Opcodes.T_BYTE -> 1;
            case Opcodes.T_CHAR, Opcodes.T_SHORT -> 2;
            case Opcodes.T_INT, Opcodes.T_FLOAT -> 4;
            default -> 8; // long, double
        };
    }

    /** The size of the innermost element a multi-dimensional allocation makes. */
    private static int leafBytes(String descriptor) {
        return switch (descriptor.charAt(0)) {
            case 'Z', 'B' -> 1;
            case 'C', 'S' -> 2;
            case 'I', 'F' -> 4;
            case 'J', 'D' -> 8;
            default -> REFERENCE_BYTES;
        };
    }
}
