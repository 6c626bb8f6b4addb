using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Edge.Micro.InteropGen;

/// <summary>One method of a stub class: its mangled name and whether it is implemented natively.</summary>
public sealed record StubMethod(string MangledName, bool IsNative);

/// <summary>One class of the interop assembly with its methods in the metadata processor's order.</summary>
public sealed record StubClass(string ClassName, IReadOnlyList<StubMethod> Methods);

/// <summary>
/// Reads a compiled nanoFramework assembly and produces the native side's generated files, named and laid out
/// as nanoFramework's metadata processor names them: {asm}.h (one struct per class, NANOCLR_NATIVE_DECLARE per
/// native method), {asm}.cpp (the method lookup table and g_CLR_AssemblyNative_{asm} with the checksum and the
/// native version) and FindINTEROP-{Assembly}.cmake. The per-class implementation file
/// ({asm}_{Class}.cpp) is hand-written and only checked for the mangled names.
/// Types are taken in full-name order and methods in the metadata processor's order (virtual, then instance,
/// then static, each in definition order); for an assembly whose stub classes do not use each other (this
/// project's) that is exactly the processor's table order.
/// </summary>
public static class StubGenerator
{
    /// <summary>The generated files (name -> text) for an assembly.</summary>
    public static IReadOnlyDictionary<string, string> Generate(string assemblyPath, out uint checksum, out IReadOnlyList<StubClass> classes)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        MetadataReader r = pe.GetMetadataReader();
        string assembly = r.GetString(r.GetAssemblyDefinition().Name);
        string nativeVersion = NativeVersion(r) ?? "1.0.0.0";
        string shortName = assembly.Replace('.', '_');
        var checksumBuilder = new NativeChecksum(assembly);
        var list = new List<StubClass>();

        var types = r.TypeDefinitions.Select(r.GetTypeDefinition)
            .Where(t => r.GetString(t.Name) != "<Module>")
            .OrderBy(t => FullName(r, t), StringComparer.Ordinal);
        foreach (TypeDefinition type in types)
        {
            string className = ClassName(r, type);
            bool inStub = HasStub(r, type);
            var methods = new List<StubMethod>();
            foreach (MethodDefinition m in Ordered(r, type))
            {
                bool native = inStub && m.RelativeVirtualAddress == 0 && (m.Attributes & MethodAttributes.Abstract) == 0;
                string mangled = MangledName(r, m);
                methods.Add(new StubMethod(mangled, native));
                if (!inStub)
                {
                    continue;
                }

                if (native)
                {
                    checksumBuilder.AddNative(className, mangled);
                }
                else
                {
                    checksumBuilder.AddManaged();
                }
            }

            list.Add(new StubClass(className, methods));
        }

        checksum = checksumBuilder.Value;
        classes = list;
        var files = new Dictionary<string, string>
        {
            [shortName + ".h"] = Header(assembly, shortName, list),
            [shortName + ".cpp"] = LookupTable(assembly, shortName, list, checksum, nativeVersion),
            [$"FindINTEROP-{assembly}.cmake"] = CMakeModule(assembly, shortName, list),
        };
        return files;
    }

    /// <summary>
    /// Whether a type gets a stub (the metadata processor's IncludeInStub): classes and value types do; delegates
    /// and interfaces take NULL rows in the lookup table and no part in the checksum.
    /// </summary>
    private static bool HasStub(MetadataReader r, TypeDefinition type)
    {
        if ((type.Attributes & TypeAttributes.Interface) != 0)
        {
            return false;
        }

        if (type.BaseType.Kind != HandleKind.TypeReference)
        {
            return true;
        }

        TypeReference baseType = r.GetTypeReference((TypeReferenceHandle)type.BaseType);
        string baseName = r.GetString(baseType.Namespace) + "." + r.GetString(baseType.Name);
        return baseName != "System.MulticastDelegate" && baseName != "System.Delegate";
    }

    /// <summary>The metadata processor's method order: virtual, then other instance, then static.</summary>
    private static IEnumerable<MethodDefinition> Ordered(MetadataReader r, TypeDefinition type)
    {
        var all = type.GetMethods().Select(r.GetMethodDefinition).ToList();
        bool IsVirtual(MethodDefinition m) => (m.Attributes & MethodAttributes.Virtual) != 0;
        bool IsStatic(MethodDefinition m) => (m.Attributes & MethodAttributes.Static) != 0;
        return all.Where(IsVirtual).Concat(all.Where(m => !IsVirtual(m) && !IsStatic(m))).Concat(all.Where(IsStatic));
    }

    private static string FullName(MetadataReader r, TypeDefinition t)
    {
        string name = r.GetString(t.Name);
        string ns = r.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>NativeMethodsCrc.GetClassName: namespace and name joined by '_', dots to '_'.</summary>
    public static string ClassName(MetadataReader r, TypeDefinition t) =>
        string.Join("_", r.GetString(t.Namespace), r.GetString(t.Name)).Replace('.', '_').TrimStart('_');

    /// <summary>NativeMethodsCrc.GetMethodName: Name___STATIC__RET__P1__P2 (or Name___RET__...).</summary>
    public static string MangledName(MetadataReader r, MethodDefinition m)
    {
        MethodSignature<string> sig = m.DecodeSignature(new NanoTypeNames(), null);
        bool isStatic = (m.Attributes & MethodAttributes.Static) != 0;
        string name = r.GetString(m.Name) + (isStatic ? "___STATIC__" : "___") + string.Join("__", sig.ParameterTypes.Prepend(sig.ReturnType));
        return name.Replace(".", "_").Replace("/", "");
    }

    private static string? NativeVersion(MetadataReader r)
    {
        foreach (CustomAttributeHandle h in r.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute a = r.GetCustomAttribute(h);
            if (a.Constructor.Kind == HandleKind.MemberReference)
            {
                MemberReference ctor = r.GetMemberReference((MemberReferenceHandle)a.Constructor);
                TypeReference type = r.GetTypeReference((TypeReferenceHandle)ctor.Parent);
                if (r.GetString(type.Name) == "AssemblyNativeVersionAttribute")
                {
                    return a.DecodeValue(new NanoTypeNames()).FixedArguments[0].Value as string;
                }
            }
        }

        return null;
    }

    private static string Banner() =>
        "//-----------------------------------------------------------------------------\n" +
        "//\n" +
        "//    ** DO NOT EDIT THIS FILE! **\n" +
        "//    This file was generated by a tool\n" +
        "//    re-running the tool will overwrite this file.\n" +
        "//    (tools/Edge.Micro.InteropGen, from the nanoFramework build of the assembly)\n" +
        "//\n" +
        "//-----------------------------------------------------------------------------\n";

    private static string Header(string assembly, string shortName, IReadOnlyList<StubClass> classes)
    {
        var sb = new StringBuilder(Banner());
        string guard = shortName.ToUpperInvariant() + "_H";
        sb.Append($"\n#ifndef {guard}\n#define {guard}\n\n");
        sb.Append("#include <nanoCLR_Interop.h>\n#include <nanoCLR_Runtime.h>\n#include <nanoPackStruct.h>\n\n");
        foreach (StubClass c in classes)
        {
            sb.Append($"struct Library_{shortName}_{c.ClassName}\n{{\n");
            foreach (StubMethod m in c.Methods.Where(m => m.IsNative))
            {
                sb.Append($"    NANOCLR_NATIVE_DECLARE({m.MangledName});\n");
            }

            sb.Append("\n    //--//\n};\n\n");
        }

        sb.Append($"extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_{shortName};\n\n#endif // {guard}\n");
        return sb.ToString();
    }

    private static string LookupTable(string assembly, string shortName, IReadOnlyList<StubClass> classes, uint checksum, string version)
    {
        var sb = new StringBuilder(Banner());
        sb.Append($"\n#include \"{shortName}.h\"\n\n// clang-format off\n\nstatic const CLR_RT_MethodHandler method_lookup[] =\n{{\n");
        foreach (StubClass c in classes)
        {
            foreach (StubMethod m in c.Methods)
            {
                sb.Append(m.IsNative ? $"    Library_{shortName}_{c.ClassName}::{m.MangledName},\n" : "    NULL,\n");
            }
        }

        string[] v = version.Split('.');
        sb.Append("};\n\n");
        sb.Append($"const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_{shortName} =\n{{\n");
        sb.Append($"    \"{assembly}\",\n    0x{checksum:X8},\n    method_lookup,\n    {{ {v[0]}, {v[1]}, {v[2]}, {v[3]} }}\n}};\n\n// clang-format on\n");
        return sb.ToString();
    }

    private static string CMakeModule(string assembly, string shortName, IReadOnlyList<StubClass> classes)
    {
        var sb = new StringBuilder();
        sb.Append("# Generated by tools/Edge.Micro.InteropGen: do not edit.\n");
        sb.Append("# Interop module for nf-interpreter: copy to CMake/Modules and list the assembly in NF_INTEROP_ASSEMBLIES.\n\n");
        sb.Append($"# native code directory (this folder) and the Edge.Micro C kernels it calls\n");
        sb.Append($"set(BASE_PATH_FOR_THIS_MODULE ${{PROJECT_SOURCE_DIR}}/InteropAssemblies/{assembly})\n");
        sb.Append("set(EDGE_MICRO_INTEROP_ROOT ${BASE_PATH_FOR_THIS_MODULE}/edge_micro)\n\n");
        sb.Append($"list(APPEND {assembly}_INCLUDE_DIRS ${{PROJECT_SOURCE_DIR}}/src/CLR/Core)\n");
        sb.Append($"list(APPEND {assembly}_INCLUDE_DIRS ${{PROJECT_SOURCE_DIR}}/src/CLR/Include)\n");
        sb.Append($"list(APPEND {assembly}_INCLUDE_DIRS ${{PROJECT_SOURCE_DIR}}/src/HAL/Include)\n");
        sb.Append($"list(APPEND {assembly}_INCLUDE_DIRS ${{PROJECT_SOURCE_DIR}}/src/PAL/Include)\n");
        sb.Append($"list(APPEND {assembly}_INCLUDE_DIRS ${{BASE_PATH_FOR_THIS_MODULE}})\n");
        sb.Append($"list(APPEND {assembly}_INCLUDE_DIRS ${{EDGE_MICRO_INTEROP_ROOT}}/include ${{EDGE_MICRO_INTEROP_ROOT}}/kernels)\n\n");
        sb.Append($"set({assembly}_SRCS\n    {shortName}.cpp\n");
        foreach (StubClass c in classes.Where(c => c.Methods.Any(m => m.IsNative)))
        {
            sb.Append($"    {shortName}_{c.ClassName}.cpp\n");
        }

        sb.Append(")\n\n");
        sb.Append($"foreach(SRC_FILE ${{{assembly}_SRCS}})\n");
        sb.Append($"    set({assembly}_SRC_FILE SRC_FILE-NOTFOUND)\n");
        sb.Append($"    find_file({assembly}_SRC_FILE ${{SRC_FILE}} PATHS ${{BASE_PATH_FOR_THIS_MODULE}} CMAKE_FIND_ROOT_PATH_BOTH)\n");
        sb.Append($"    list(APPEND {assembly}_SOURCES ${{{assembly}_SRC_FILE}})\n");
        sb.Append("endforeach()\n\n");
        sb.Append("# the C kernels and the .emm runner, compiled into the firmware image\n");
        sb.Append($"file(GLOB EDGE_MICRO_C_SOURCES ${{EDGE_MICRO_INTEROP_ROOT}}/kernels/*.c ${{EDGE_MICRO_INTEROP_ROOT}}/runner/emm_model.c ${{EDGE_MICRO_INTEROP_ROOT}}/runner/op_table.c ${{EDGE_MICRO_INTEROP_ROOT}}/runner/ops/*.c ${{EDGE_MICRO_INTEROP_ROOT}}/frontend/*.c ${{EDGE_MICRO_INTEROP_ROOT}}/store/*.c ${{BASE_PATH_FOR_THIS_MODULE}}/edge_micro_esp32_flash.c)\n");
        sb.Append($"list(APPEND {assembly}_SOURCES ${{EDGE_MICRO_C_SOURCES}})\n\n");
        sb.Append("include(FindPackageHandleStandardArgs)\n");
        sb.Append($"FIND_PACKAGE_HANDLE_STANDARD_ARGS({assembly} DEFAULT_MSG {assembly}_INCLUDE_DIRS {assembly}_SOURCES)\n");
        return sb.ToString();
    }

    /// <summary>Type names as the metadata processor writes them into mangled names (I4, U1, SZARRAY_U1, ...).</summary>
    private sealed class NanoTypeNames : ISignatureTypeProvider<string, object?>, ICustomAttributeTypeProvider<string>
    {
        public string GetPrimitiveType(PrimitiveTypeCode code) => code switch
        {
            PrimitiveTypeCode.Void => "VOID",
            PrimitiveTypeCode.Boolean => "BOOLEAN",
            PrimitiveTypeCode.Char => "CHAR",
            PrimitiveTypeCode.SByte => "I1",
            PrimitiveTypeCode.Byte => "U1",
            PrimitiveTypeCode.Int16 => "I2",
            PrimitiveTypeCode.UInt16 => "U2",
            PrimitiveTypeCode.Int32 => "I4",
            PrimitiveTypeCode.UInt32 => "U4",
            PrimitiveTypeCode.Int64 => "I8",
            PrimitiveTypeCode.UInt64 => "U8",
            PrimitiveTypeCode.Single => "R4",
            PrimitiveTypeCode.Double => "R8",
            PrimitiveTypeCode.String => "STRING",
            PrimitiveTypeCode.Object => "OBJECT",
            PrimitiveTypeCode.IntPtr => "I4",
            PrimitiveTypeCode.UIntPtr => "U4",
            _ => code.ToString().ToUpperInvariant(),
        };

        public string GetSZArrayType(string elementType) => "SZARRAY_" + elementType;
        public string GetByReferenceType(string elementType) => "BYREF_" + elementType;
        public string GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle h, byte kind) =>
            (r.GetString(r.GetTypeDefinition(h).Namespace) + r.GetString(r.GetTypeDefinition(h).Name)).Replace(".", "");
        public string GetTypeFromReference(MetadataReader r, TypeReferenceHandle h, byte kind) =>
            (r.GetString(r.GetTypeReference(h).Namespace) + r.GetString(r.GetTypeReference(h).Name)).Replace(".", "");
        public string GetTypeFromSpecification(MetadataReader r, object? c, TypeSpecificationHandle h, byte kind) => "GENERICTYPE";
        public string GetArrayType(string elementType, ArrayShape shape) => throw new NotSupportedException("multidimensional arrays");
        public string GetFunctionPointerType(MethodSignature<string> signature) => throw new NotSupportedException("function pointers");
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => "GENERICTYPE";
        public string GetGenericMethodParameter(object? c, int index) => "GENERICTYPE";
        public string GetGenericTypeParameter(object? c, int index) => "GENERICTYPE";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetPointerType(string elementType) => throw new NotSupportedException("pointers");
        public string GetSystemType() => "SystemType";
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(string type) => type == "SystemType";
    }
}
