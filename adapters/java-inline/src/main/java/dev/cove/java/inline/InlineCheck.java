package dev.cove.java.inline;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Decides whether a Java function may run inline, inside the platform's JVM: reads all its class
 * files and answers the reasons it may not, in the order found (the first is shown to its user), or
 * none. The rules: every reference out of the function's own classes is on the {@link AllowList}
 * (calls, constructors, fields, types, supertypes, method references, bootstraps); no synchronized,
 * native, finalize or jsr/ret; no state that outlives an activation (a mutable static, or a mutable
 * field of the entry class, whose one instance serves every activation). What passes can be stopped
 * by {@link Metering}'s ticks and shares nothing between activations.
 */
final class InlineCheck {
    /** JDK types whose instances never change: a static final of one of them is not shared state. */
    private static final Set<String> IMMUTABLE = Set.of("java/lang/String", "java/lang/Integer", "java/lang/Long",
            "java/lang/Short", "java/lang/Byte", "java/lang/Character", "java/lang/Boolean", "java/lang/Double",
            "java/lang/Float", "java/math/BigInteger", "java/math/BigDecimal", "java/math/MathContext",
            "java/math/RoundingMode", "java/time/Instant", "java/time/Duration", "java/time/Period",
            "java/time/LocalDate", "java/time/LocalTime", "java/time/LocalDateTime", "java/time/ZonedDateTime",
            "java/time/OffsetDateTime", "java/time/OffsetTime", "java/time/Year", "java/time/YearMonth",
            "java/time/MonthDay", "java/time/ZoneId", "java/time/ZoneOffset", "java/time/DayOfWeek", "java/time/Month",
            "java/time/format/DateTimeFormatter", "java/time/temporal/ChronoUnit", "java/time/temporal/ChronoField",
            "java/util/UUID", "java/util/Locale", "java/nio/charset/Charset");
    /** The invokedynamic bootstraps javac uses for lambdas, string concatenation, records and switches. */
    private static final Set<String> BOOTSTRAPS = Set.of("java/lang/invoke/LambdaMetafactory.metafactory",
            "java/lang/invoke/LambdaMetafactory.altMetafactory", "java/lang/invoke/StringConcatFactory.makeConcatWithConstants",
            "java/lang/invoke/StringConcatFactory.makeConcat", "java/lang/runtime/ObjectMethods.bootstrap",
            "java/lang/runtime/SwitchBootstraps.typeSwitch", "java/lang/runtime/SwitchBootstraps.enumSwitch");
    /** Packages a function's own classes may not be in: the JDK's (defineClass refuses java.*) and the platform's. */
    private static final List<String> RESERVED = List.of("java/", "javax/", "jdk/", "sun/", "com/sun/", "dev/cove/");
    private static final String METHOD_HANDLES = " uses java.lang.invoke.MethodHandle";
    private static final Map<String, Boolean> JDK_MEMBERS = new ConcurrentHashMap<>();

    private final Map<String, byte[]> classFiles;
    private final String entry;
    private final AllowList allowed;
    /** Parsed on demand; concurrent because the inline loader checks classes on several threads. */
    private final Map<String, Optional<ClassNode>> headers = new ConcurrentHashMap<>();

    /** {@code classFiles} by internal name ({@code pkg/Outer$Inner}); {@code entryClass} as Java names it. */
    InlineCheck(Map<String, byte[]> classFiles, String entryClass, AllowList allowed) {
        this.classFiles = Map.copyOf(classFiles);
        this.entry = entryClass.replace('.', '/');
        this.allowed = allowed;
    }

    /** The reasons the classes under {@code classesDir} may not run inline; empty when they may. */
    static List<String> checkDirectory(Path classesDir, String entryClass) throws IOException {
        return check(readDirectory(classesDir), entryClass);
    }

    /** The reasons the jar's classes may not run inline; empty when they may. */
    static List<String> checkJar(Path jar, String entryClass) throws IOException {
        return check(readJar(jar), entryClass);
    }

    static List<String> check(Map<String, byte[]> classFiles, String entryClass) {
        return new InlineCheck(classFiles, entryClass, AllowList.standard()).all();
    }

    /** The class files under a folder, by internal name. */
    static Map<String, byte[]> readDirectory(Path classesDir) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classesDir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String path = classesDir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                addClass(classes, path, Files.readAllBytes(file));
            }
        }
        return classes;
    }

    /** The class files of a jar, by internal name. */
    static Map<String, byte[]> readJar(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return readJar(file);
        }
    }

    static Map<String, byte[]> readJar(JarFile jar) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
            if (e.getName().endsWith(".class")) {
                try (InputStream in = jar.getInputStream(e)) {
                    addClass(classes, e.getName(), in.readAllBytes());
                }
            }
        }
        return classes;
    }

    /** Multi-release versions and module descriptors are not loaded by an inline loader, so not read. */
    private static void addClass(Map<String, byte[]> classes, String path, byte[] bytes) {
        if (!path.startsWith("META-INF/") && !path.endsWith("module-info.class")) {
            classes.put(path.substring(0, path.length() - ".class".length()), bytes);
        }
    }

    /** Every reason, the entry class's first, then the other classes' by name. */
    List<String> all() {
        Set<String> reasons = new LinkedHashSet<>();
        if (!classFiles.containsKey(entry)) {
            reasons.add("the function has no class " + entry.replace('/', '.'));
        } else {
            reasons.addAll(checkClass(entry));
        }
        new TreeMap<>(classFiles).keySet().stream().filter(n -> !n.equals(entry)).forEach(n -> reasons.addAll(checkClass(n)));
        return List.copyOf(reasons);
    }

    /** The reasons one class may not run inline: what the inline loader re-checks as it defines it. */
    List<String> checkClass(String name) {
        Set<String> reasons = new LinkedHashSet<>();
        ClassNode node = new ClassNode();
        try {
            new ClassReader(classFiles.get(name)).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            return List.of(simple(name) + " is not a class file this platform can read (" + e + ")");
        }
        if (!node.name.equals(name)) {
            return List.of(name + ".class holds the class " + node.name.replace('/', '.'));
        }
        try {
            checkHeader(node, reasons);
            for (MethodNode method : node.methods) {
                checkMethod(node, method, reasons);
            }
        } catch (RuntimeException e) {
            reasons.add(simple(name) + " cannot be checked (" + e + ")"); // a malformed descriptor, say
        }
        return List.copyOf(reasons);
    }

    // ---- The class: its package, supertypes and state ----

    private void checkHeader(ClassNode node, Set<String> reasons) {
        String me = simple(node.name);
        RESERVED.stream().filter(node.name::startsWith).findFirst()
                .ifPresent(p -> reasons.add(me + " is in the reserved package " + packageOf(node.name)));
        if (node.superName != null && !own(node.superName) && !allowed.allowsType(node.superName)) {
            reasons.add(me + " extends " + dotted(node.superName));
        }
        for (String type : node.interfaces) {
            if (!own(type) && !allowed.allowsType(type)) {
                reasons.add(me + " implements " + dotted(type));
            }
        }
        for (FieldNode field : node.fields) {
            if (isStatic(field.access) && !compilerMade(node, field) && !(isFinal(field.access) && immutable(field.desc))) {
                reasons.add(me + " has mutable static state (field " + field.name + ")");
            }
        }
        if (node.name.equals(entry)) {
            checkHandlerState(node, reasons);
        }
    }

    /** The entry class's one instance serves every activation: its fields must never change. */
    private void checkHandlerState(ClassNode node, Set<String> reasons) {
        String me = simple(node.name);
        String type = node.name;
        while (own(type)) {
            ClassNode header = header(type).orElseThrow();
            for (FieldNode field : header.fields) {
                if (!isStatic(field.access) && !(isFinal(field.access) && immutable(field.desc))) {
                    reasons.add(me + " keeps mutable state across activations (field " + field.name + ")");
                }
            }
            type = header.superName;
        }
        if (type != null && !type.equals("java/lang/Object") && !type.equals("java/lang/Record")) {
            reasons.add(me + " keeps mutable state across activations (superclass " + dotted(type) + ")");
        }
    }

    /** Fields javac makes and only its code writes, once: enum values, switch maps, the assertion flag. */
    private static boolean compilerMade(ClassNode node, FieldNode field) {
        boolean synthetic = (field.access & Opcodes.ACC_SYNTHETIC) != 0 && isFinal(field.access);
        return synthetic && (field.name.equals("$VALUES") && field.desc.equals("[L" + node.name + ";")
                || field.name.startsWith("$SwitchMap$") && field.desc.equals("[I")
                || field.name.equals("$assertionsDisabled") && field.desc.equals("Z"));
    }

    private boolean immutable(String descriptor) {
        return immutable(Type.getType(descriptor), new HashSet<>());
    }

    /** Primitives, listed JDK values, and own classes whose every field is final and immutable. */
    private boolean immutable(Type type, Set<String> visiting) {
        if (type.getSort() == Type.ARRAY) {
            return false;
        }
        if (type.getSort() != Type.OBJECT) {
            return true;
        }
        String name = type.getInternalName();
        if (IMMUTABLE.contains(name)) {
            return true;
        }
        return own(name) && immutableOwn(name, visiting);
    }

    /** Assumed true while being decided, so that a cycle of types decides on its other fields. */
    private boolean immutableOwn(String name, Set<String> visiting) {
        if (!visiting.add(name)) {
            return true;
        }
        ClassNode header = header(name).orElse(null);
        if (header == null || (header.access & Opcodes.ACC_INTERFACE) != 0) {
            return false; // any lambda or class may implement an interface, with any state
        }
        boolean superImmutable = own(header.superName) ? immutableOwn(header.superName, visiting)
                : Set.of("java/lang/Object", "java/lang/Record", "java/lang/Enum").contains(header.superName);
        return superImmutable
                && header.fields.stream().filter(f -> !isStatic(f.access))
                        .allMatch(f -> isFinal(f.access) && immutable(Type.getType(f.desc), visiting))
                && subclassesOf(name).stream().allMatch(sub -> immutableOwn(sub, visiting));
    }

    private List<String> subclassesOf(String name) {
        return classFiles.keySet().stream()
                .filter(n -> header(n).map(h -> name.equals(h.superName)).orElse(false)).toList();
    }

    // ---- Methods ----

    private void checkMethod(ClassNode node, MethodNode method, Set<String> reasons) {
        String where = simple(node.name) + "." + sourceName(method.name);
        if (method.name.equals("finalize") && method.desc.equals("()V")) {
            reasons.add(simple(node.name) + " defines finalize");
        }
        if ((method.access & Opcodes.ACC_NATIVE) != 0) {
            reasons.add(where + " is native");
        }
        if ((method.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
            reasons.add(where + " uses synchronized");
        }
        for (AbstractInsnNode insn : method.instructions) {
            checkInstruction(node, method, where, insn, reasons);
        }
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            if (block.type != null) {
                checkType(where, block.type, "uses", reasons);
            }
        }
    }

    private void checkInstruction(ClassNode node, MethodNode method, String where, AbstractInsnNode insn,
            Set<String> reasons) {
        switch (insn) {
            case MethodInsnNode call -> checkCall(where, call.owner, call.name, call.desc, reasons);
            case FieldInsnNode field -> checkField(node, method, where, field, reasons);
            case TypeInsnNode type -> checkType(where, type.desc, type.getOpcode() == Opcodes.NEW ? "creates" : "uses", reasons);
            case MultiANewArrayInsnNode array -> checkType(where, array.desc, "uses", reasons);
            case LdcInsnNode ldc -> checkConstant(where, ldc.cst, reasons);
            case InvokeDynamicInsnNode indy -> checkInvokeDynamic(where, indy, reasons);
            case InsnNode i when i.getOpcode() == Opcodes.MONITORENTER -> reasons.add(where + " uses synchronized");
            case JumpInsnNode j when j.getOpcode() == Opcodes.JSR -> reasons.add(where + " uses jsr/ret subroutines");
            case VarInsnNode v when v.getOpcode() == Opcodes.RET -> reasons.add(where + " uses jsr/ret subroutines");
            default -> { }
        }
    }

    private void checkCall(String where, String owner, String name, String descriptor, Set<String> reasons) {
        jdkOwner(owner, name, descriptor, false).ifPresent(jdk -> {
            AllowList.Access access = allowed.member(jdk, name, descriptor);
            if (access != AllowList.Access.ALLOWED) {
                reasons.add(where + " calls " + describe(jdk, name, descriptor, access == AllowList.Access.DENIED_OVERLOAD));
            }
        });
    }

    private void checkField(ClassNode node, MethodNode method, String where, FieldInsnNode field, Set<String> reasons) {
        int op = field.getOpcode();
        boolean write = op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC;
        Optional<String> jdk = jdkOwner(field.owner, field.name, field.desc, true);
        if (jdk.isPresent()) {
            if (allowed.member(jdk.get(), field.name, field.desc) != AllowList.Access.ALLOWED) {
                reasons.add(where + (write ? " writes " : " reads ") + dotted(jdk.get()) + "." + field.name);
            }
            return;
        }
        String declarer = declarerOf(field.owner, field.name);
        if (op == Opcodes.PUTSTATIC && !(method.name.equals("<clinit>") && declarer.equals(node.name))) {
            reasons.add(where + " writes the static field " + field.name);
        }
        if (op == Opcodes.PUTFIELD && finalField(declarer, field.name)
                && !(method.name.equals("<init>") && declarer.equals(node.name))) {
            reasons.add(where + " writes the final field " + field.name); // class files before Java 9 allowed it
        }
    }

    private void checkType(String where, String internalName, String verb, Set<String> reasons) {
        String element = AllowList.elementOf(internalName);
        if (!element.isEmpty() && !own(element) && !allowed.allowsType(element)) {
            reasons.add(where + " " + verb + " " + dotted(element));
        }
    }

    /** Class constants are types; method types, method handles and dynamic constants are java.lang.invoke. */
    private void checkConstant(String where, Object constant, Set<String> reasons) {
        if (constant instanceof Type type && (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY)) {
            checkType(where, type.getInternalName(), "uses", reasons);
        } else if (constant instanceof Type || constant instanceof Handle || constant instanceof ConstantDynamic) {
            reasons.add(where + METHOD_HANDLES);
        }
    }

    private void checkInvokeDynamic(String where, InvokeDynamicInsnNode indy, Set<String> reasons) {
        String bootstrap = indy.bsm.getOwner() + "." + indy.bsm.getName();
        if (!BOOTSTRAPS.contains(bootstrap)) {
            reasons.add(where + METHOD_HANDLES);
            return;
        }
        Type made = Type.getReturnType(indy.desc);
        if (made.getSort() == Type.OBJECT) {
            checkType(where, made.getInternalName(), "uses", reasons);
        }
        boolean isSwitch = bootstrap.startsWith("java/lang/runtime/SwitchBootstraps.");
        for (Object argument : indy.bsmArgs) {
            if (argument instanceof Handle handle) {
                checkHandle(where, handle, reasons);
            } else if (argument instanceof ConstantDynamic constant && !(isSwitch && enumLabel(constant))) {
                reasons.add(where + METHOD_HANDLES);
            } else if (argument instanceof Type type && type.getSort() != Type.METHOD) {
                checkType(where, type.getInternalName(), "uses", reasons);
            }
        }
    }

    /** A method reference, a record's accessor: checked as the call or field access it stands for. */
    private void checkHandle(String where, Handle handle, Set<String> reasons) {
        int tag = handle.getTag();
        if (tag <= Opcodes.H_PUTSTATIC) {
            Optional<String> jdk = jdkOwner(handle.getOwner(), handle.getName(), handle.getDesc(), true);
            boolean write = tag == Opcodes.H_PUTFIELD || tag == Opcodes.H_PUTSTATIC;
            if (write && jdk.isEmpty()) {
                reasons.add(where + " writes the field " + handle.getName() + " through a method handle");
            }
            jdk.filter(o -> allowed.member(o, handle.getName(), handle.getDesc()) != AllowList.Access.ALLOWED)
                    .ifPresent(o -> reasons.add(where + (write ? " writes " : " reads ") + dotted(o) + "." + handle.getName()));
        } else {
            checkCall(where, handle.getOwner(), handle.getName(), handle.getDesc(), reasons);
        }
    }

    /** javac's label for an enum constant in a pattern switch: {@code EnumDesc.of(ClassDesc.of(name), constant)}. */
    private static boolean enumLabel(ConstantDynamic constant) {
        Handle bootstrap = constant.getBootstrapMethod();
        if (!bootstrap.getOwner().equals("java/lang/invoke/ConstantBootstraps") || !bootstrap.getName().equals("invoke")
                || constant.getBootstrapMethodArgumentCount() == 0
                || !(constant.getBootstrapMethodArgument(0) instanceof Handle factory)
                || !factory.getName().equals("of")
                || !Set.of("java/lang/Enum$EnumDesc", "java/lang/constant/ClassDesc").contains(factory.getOwner())) {
            return false;
        }
        for (int i = 1; i < constant.getBootstrapMethodArgumentCount(); i++) {
            Object argument = constant.getBootstrapMethodArgument(i);
            if (!(argument instanceof String || argument instanceof ConstantDynamic nested && enumLabel(nested))) {
                return false;
            }
        }
        return true;
    }

    // ---- Resolving members up the hierarchy ----

    /**
     * The JDK class a reference reaches, to check against the list; empty when it is the function's own
     * member. A call on an own class to a member it inherits from the JDK ({@code myList.add},
     * {@code this.wait()}) reaches the first JDK superclass that has it, else the JDK interface that does.
     */
    private Optional<String> jdkOwner(String owner, String name, String descriptor, boolean field) {
        if (!own(owner)) {
            return Optional.of(owner);
        }
        Deque<String> interfaces = new ArrayDeque<>();
        String type = owner;
        while (own(type)) {
            ClassNode header = header(type).orElseThrow();
            if (declares(header, name, descriptor, field)) {
                return Optional.empty();
            }
            interfaces.addAll(header.interfaces);
            type = header.superName == null ? "java/lang/Object" : header.superName;
        }
        if (jdkHas(type, name, descriptor, field)) {
            return Optional.of(type);
        }
        Set<String> seen = new HashSet<>();
        while (!interfaces.isEmpty()) {
            String next = interfaces.poll();
            if (!seen.add(next)) {
                continue;
            }
            if (!own(next)) {
                if (jdkHas(next, name, descriptor, field)) {
                    return Optional.of(next);
                }
                continue;
            }
            ClassNode header = header(next).orElseThrow();
            if (declares(header, name, descriptor, field)) {
                return Optional.empty();
            }
            interfaces.addAll(header.interfaces);
        }
        return Optional.of(type); // nothing declares it: linking will fail; report the superclass
    }

    private static boolean declares(ClassNode header, String name, String descriptor, boolean field) {
        return field ? header.fields.stream().anyMatch(f -> f.name.equals(name))
                : header.methods.stream().anyMatch(m -> m.name.equals(name) && m.desc.equals(descriptor));
    }

    /** The own class up the hierarchy that declares a field; the owner itself when none does. */
    private String declarerOf(String owner, String name) {
        for (String type = owner; own(type); type = header(type).orElseThrow().superName) {
            if (declares(header(type).orElseThrow(), name, "", true)) {
                return type;
            }
        }
        return owner;
    }

    private boolean finalField(String owner, String name) {
        return header(owner).flatMap(h -> h.fields.stream().filter(f -> f.name.equals(name)).findFirst())
                .map(f -> isFinal(f.access)).orElse(false);
    }

    /** Whether a JDK class has the member, declared or inherited, looked up in the platform's own JDK. */
    private static boolean jdkHas(String owner, String name, String descriptor, boolean field) {
        return JDK_MEMBERS.computeIfAbsent(owner + "." + name + descriptor + field, k -> {
            try {
                Class<?> type = Class.forName(owner.replace('/', '.'), false, InlineCheck.class.getClassLoader());
                return field ? hasField(type, name) : hasMethod(type, name, descriptor);
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        });
    }

    private static boolean hasMethod(Class<?> type, String name, String descriptor) {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            for (Method m : t.getDeclaredMethods()) {
                if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(descriptor)) {
                    return true;
                }
            }
        }
        return Stream.of(type.getMethods()).anyMatch(m -> m.getName().equals(name) && Type.getMethodDescriptor(m).equals(descriptor));
    }

    private static boolean hasField(Class<?> type, String name) {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            for (Field f : t.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    return true;
                }
            }
        }
        return Stream.of(type.getFields()).anyMatch(f -> f.getName().equals(name));
    }

    /** A class's name, supertypes, fields and method signatures, without its code. */
    private Optional<ClassNode> header(String name) {
        return headers.computeIfAbsent(name, n -> {
            byte[] bytes = classFiles.get(n);
            if (bytes == null) {
                return Optional.empty();
            }
            ClassNode node = new ClassNode();
            try {
                new ClassReader(bytes).accept(node, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            } catch (RuntimeException e) {
                return Optional.empty(); // reported when the class itself is checked
            }
            return Optional.of(node);
        });
    }

    private boolean own(String name) {
        return name != null && classFiles.containsKey(name) && header(name).isPresent();
    }

    // ---- Names as users read them ----

    /** How a denied member reads: {@code java.lang.String.repeat}, {@code new java.util.HashMap(int, float)}. */
    private static String describe(String owner, String name, String descriptor, boolean overload) {
        String parameters = Stream.of(Type.getArgumentTypes(descriptor)).map(t -> simpleType(t.getClassName()))
                .reduce((a, b) -> a + ", " + b).orElse("");
        if (name.equals("<init>")) {
            return "new " + dotted(owner) + "(" + parameters + ")";
        }
        return dotted(owner) + "." + name + (overload ? "(" + parameters + ")" : "");
    }

    /** A lambda's body reads as the method that wrote it: {@code lambda$main$0} is {@code main}. */
    private static String sourceName(String method) {
        if (method.startsWith("lambda$")) {
            String[] parts = method.split("\\$");
            if (parts.length >= 3) {
                return switch (parts[1]) {
                    case "static" -> "<clinit>";
                    case "new" -> "<init>";
                    default -> parts[1];
                };
            }
        }
        return method;
    }

    private static String simple(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }

    private static String simpleType(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : dotted(internalName.substring(0, slash));
    }

    private static boolean isStatic(int access) {
        return (access & Opcodes.ACC_STATIC) != 0;
    }

    private static boolean isFinal(int access) {
        return (access & Opcodes.ACC_FINAL) != 0;
    }
}
