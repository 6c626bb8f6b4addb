using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Edge.Micro.Runtime.Tests.IlGuard;

/// <summary>
/// Reads an assembly's metadata and IL (System.Reflection.Metadata) and lists everything nanoFramework 1.x
/// cannot load or run, each finding naming the type or method: generic type or method definitions and
/// instantiations, pointer and function-pointer types, multidimensional arrays, localloc (stackalloc),
/// and references to assemblies other than mscorlib or to mscorlib types and members that
/// nanoFramework's mscorlib does not have.
/// </summary>
public sealed class NanoIlGuard
{
    private readonly HashSet<string> _nanoTypes = [];
    private readonly Dictionary<string, HashSet<string>> _nanoMembers = [];
    private readonly List<string> _findings = [];
    private readonly HashSet<string> _allowedAssemblies = ["mscorlib"];
    private MetadataReader _reader = null!;
    private string _context = "";

    /// <summary>Creates a guard that knows nanoFramework's mscorlib surface from its mscorlib.dll; <paramref name="ownAssemblies"/> may also be referenced (they are guarded themselves).</summary>
    public NanoIlGuard(string nanoMscorlibPath, params string[] ownAssemblies)
    {
        _allowedAssemblies.UnionWith(ownAssemblies);
        using var pe = new PEReader(File.OpenRead(nanoMscorlibPath));
        MetadataReader r = pe.GetMetadataReader();
        foreach (TypeDefinitionHandle h in r.TypeDefinitions)
        {
            TypeDefinition t = r.GetTypeDefinition(h);
            string name = FullName(r, t);
            _nanoTypes.Add(name);
            var members = new HashSet<string>();
            foreach (MethodDefinitionHandle m in t.GetMethods())
            {
                MethodDefinition md = r.GetMethodDefinition(m);
                members.Add(r.GetString(md.Name) + "/" + md.DecodeSignature(new ArityProvider(), null).ParameterTypes.Length);
            }

            foreach (FieldDefinitionHandle f in t.GetFields())
            {
                members.Add(r.GetString(r.GetFieldDefinition(f).Name));
            }

            _nanoMembers[name] = members;
        }
    }

    /// <summary>Every problem found in the assembly at <paramref name="path"/>; empty when nanoFramework can run it.</summary>
    public IReadOnlyList<string> Check(string path)
    {
        _findings.Clear();
        using var pe = new PEReader(File.OpenRead(path));
        _reader = pe.GetMetadataReader();

        foreach (TypeDefinitionHandle h in _reader.TypeDefinitions)
        {
            TypeDefinition type = _reader.GetTypeDefinition(h);
            string typeName = FullName(_reader, type);
            _context = typeName;
            if (type.GetGenericParameters().Count > 0)
            {
                Report("is a generic type definition");
            }

            foreach (FieldDefinitionHandle f in type.GetFields())
            {
                FieldDefinition field = _reader.GetFieldDefinition(f);
                _context = typeName + "." + _reader.GetString(field.Name);
                field.DecodeSignature(new GuardTypeProvider(this), null);
            }

            foreach (MethodDefinitionHandle m in type.GetMethods())
            {
                MethodDefinition method = _reader.GetMethodDefinition(m);
                _context = typeName + "." + _reader.GetString(method.Name);
                if (method.GetGenericParameters().Count > 0)
                {
                    Report("is a generic method definition");
                }

                method.DecodeSignature(new GuardTypeProvider(this), null);
                if (method.RelativeVirtualAddress != 0)
                {
                    MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
                    if (!body.LocalSignature.IsNil)
                    {
                        StandaloneSignature locals = _reader.GetStandaloneSignature(body.LocalSignature);
                        locals.DecodeLocalSignature(new GuardTypeProvider(this), null);
                    }

                    ScanIl(body.GetILBytes() ?? []);
                }
            }
        }

        _context = "assembly references";
        foreach (AssemblyReferenceHandle a in _reader.AssemblyReferences)
        {
            string name = _reader.GetString(_reader.GetAssemblyReference(a).Name);
            if (!_allowedAssemblies.Contains(name))
            {
                Report($"references assembly '{name}' (only nanoFramework's mscorlib and the firmware assemblies are available)");
            }
        }

        foreach (TypeReferenceHandle h in _reader.TypeReferences)
        {
            TypeReference tr = _reader.GetTypeReference(h);
            if (tr.ResolutionScope.Kind == HandleKind.AssemblyReference && IsMscorlib(tr.ResolutionScope) && !_nanoTypes.Contains(RefName(tr)))
            {
                _context = "type references";
                Report($"uses {RefName(tr)}, which nanoFramework's mscorlib lacks");
            }
        }

        foreach (MemberReferenceHandle h in _reader.MemberReferences)
        {
            MemberReference mr = _reader.GetMemberReference(h);
            if (mr.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }

            TypeReference parent = _reader.GetTypeReference((TypeReferenceHandle)mr.Parent);
            string parentName = RefName(parent);
            if (!_nanoMembers.TryGetValue(parentName, out HashSet<string>? members))
            {
                continue; // already reported as a missing type
            }

            string member = _reader.GetString(mr.Name);
            string key = mr.GetKind() == MemberReferenceKind.Method
                ? member + "/" + mr.DecodeMethodSignature(new ArityProvider(), null).ParameterTypes.Length
                : member;
            if (!members.Contains(key))
            {
                _context = "member references";
                Report($"uses {parentName}.{key.Replace("/", " with ")} parameters, which nanoFramework's mscorlib lacks");
            }
        }

        if (_reader.GetTableRowCount(TableIndex.MethodSpec) > 0)
        {
            _context = "method specifications";
            Report($"instantiates generic methods {_reader.GetTableRowCount(TableIndex.MethodSpec)} times");
        }

        return _findings.ToList();
    }

    private bool IsMscorlib(EntityHandle scope) =>
        _reader.GetString(_reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) == "mscorlib";

    private void Report(string problem) => _findings.Add($"{_context}: {problem}");

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Walks the IL instruction by instruction (operand sizes from System.Reflection.Emit) looking for localloc and generic tokens.</summary>
    private void ScanIl(byte[] il)
    {
        int i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE && i + 1 < il.Length ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += value > 0xFF || value < 0 ? 2 : 1;
            if (!OpCodesByValue.TryGetValue(value, out OpCode op))
            {
                Report($"has an unknown IL opcode 0x{value:X}");
                return;
            }

            if (op == OpCodes.Localloc)
            {
                Report("uses localloc (stackalloc)");
            }

            int operand = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (op.OperandType is OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField)
            {
                CheckToken(BitConverter.ToInt32(il, i));
            }

            i += operand;
        }
    }

    private void CheckToken(int token)
    {
        EntityHandle handle = MetadataTokens.EntityHandle(token);
        if (handle.Kind == HandleKind.TypeSpecification)
        {
            _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(new GuardTypeProvider(this), null);
        }
        else if (handle.Kind == HandleKind.MemberReference)
        {
            MemberReference mr = _reader.GetMemberReference((MemberReferenceHandle)handle);
            if (mr.Parent.Kind == HandleKind.TypeSpecification)
            {
                _reader.GetTypeSpecification((TypeSpecificationHandle)mr.Parent).DecodeSignature(new GuardTypeProvider(this), null);
            }
        }
    }

    private static string FullName(MetadataReader r, TypeDefinition t)
    {
        string name = r.GetString(t.Name);
        if (t.GetDeclaringType() is { IsNil: false } declaring)
        {
            return FullName(r, r.GetTypeDefinition(declaring)) + "/" + name;
        }

        string ns = r.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private string RefName(TypeReference t)
    {
        string name = _reader.GetString(t.Name);
        if (t.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return RefName(_reader.GetTypeReference((TypeReferenceHandle)t.ResolutionScope)) + "/" + name;
        }

        string ns = _reader.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>Decodes signatures and reports the shapes nanoFramework 1.x cannot represent.</summary>
    private sealed class GuardTypeProvider(NanoIlGuard guard) : ISignatureTypeProvider<string, object?>
    {
        public string GetArrayType(string elementType, ArrayShape shape) { guard.Report($"uses a multidimensional array {elementType}[{new string(',', shape.Rank - 1)}]"); return elementType + "[,]"; }
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) { guard.Report("uses a function pointer"); return "fnptr"; }
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) { guard.Report($"uses the generic instantiation {genericType}<{string.Join(",", typeArguments)}>"); return genericType; }
        public string GetGenericMethodParameter(object? genericContext, int index) { guard.Report("uses a generic method parameter"); return "!!" + index; }
        public string GetGenericTypeParameter(object? genericContext, int index) { guard.Report("uses a generic type parameter"); return "!" + index; }
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) { guard.Report("pins memory (fixed)"); return elementType; }
        public string GetPointerType(string elementType) { guard.Report($"uses the pointer type {elementType}*"); return elementType + "*"; }
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => FullName(reader, reader.GetTypeDefinition(handle));
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => reader.GetString(reader.GetTypeReference(handle).Name);
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }

    /// <summary>A provider that only counts parameters (for matching member references by name and arity).</summary>
    private sealed class ArityProvider : ISignatureTypeProvider<int, object?>
    {
        public int GetArrayType(int elementType, ArrayShape shape) => 0;
        public int GetByReferenceType(int elementType) => 0;
        public int GetFunctionPointerType(MethodSignature<int> signature) => 0;
        public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;
        public int GetGenericMethodParameter(object? genericContext, int index) => 0;
        public int GetGenericTypeParameter(object? genericContext, int index) => 0;
        public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;
        public int GetPinnedType(int elementType) => 0;
        public int GetPointerType(int elementType) => 0;
        public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;
        public int GetSZArrayType(int elementType) => 0;
        public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => 0;
        public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => 0;
        public int GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) => 0;
    }
}
