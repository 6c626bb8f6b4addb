using System.Text.RegularExpressions;
using Edge.Micro.InteropGen;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Runtime.Tests;

/// <summary>interop/nanoframework matches what the metadata processor would generate from the built interop assembly.</summary>
public class NanoInteropStubTests
{
    private static readonly string StubDir = Path.Combine(Corpus.RepoRoot, "interop", "nanoframework");
    private static readonly string Assembly = Path.Combine(Corpus.RepoRoot, "firmware", "Edge.Micro.Interop", "bin", "nano", "Release", "netstandard2.0", "Edge.Micro.Interop.dll");

    [Fact]
    public void Checked_in_method_table_header_and_cmake_module_are_current()
    {
        Assert.True(File.Exists(Assembly), $"{Assembly} is missing: run `dotnet build nf.proj` first");
        var files = StubGenerator.Generate(Assembly, out _, out _);
        foreach (var (name, text) in files)
        {
            string path = Path.Combine(StubDir, name);
            Assert.True(File.Exists(path) && File.ReadAllText(path) == text,
                $"interop/nanoframework/{name} is stale: run scripts/update-interop-stubs.sh");
        }
    }

    [Fact]
    public void Every_native_method_has_its_stub_in_the_class_file()
    {
        StubGenerator.Generate(Assembly, out uint checksum, out var classes);
        Assert.NotEqual(0u, checksum);
        foreach (var c in classes.Where(c => c.Methods.Any(m => m.IsNative)))
        {
            string file = Path.Combine(StubDir, $"Edge_Micro_Interop_{c.ClassName}.cpp");
            Assert.True(File.Exists(file), $"{file} missing");
            string text = File.ReadAllText(file);
            foreach (var m in c.Methods.Where(m => m.IsNative))
            {
                Assert.Matches($@"Library_Edge_Micro_Interop_{c.ClassName}::\s*{m.MangledName}\(", text);
            }
        }
    }

    [Fact]
    public void Mangled_names_follow_the_metadata_processor()
    {
        StubGenerator.Generate(Assembly, out _, out var classes);
        var native = classes.SelectMany(c => c.Methods.Where(m => m.IsNative).Select(m => (c.ClassName, m.MangledName))).ToList();
        Assert.Equal(
            [
                ("Edge_Micro_Interop_FlashModel", "NativeLength___STATIC__I4"),
                ("Edge_Micro_Interop_FlashModel", "NativeRead___STATIC__I4__I4__SZARRAY_U1__I4__I4"),
                ("Edge_Micro_Interop_FlashModelStore", "NativeCapacity___STATIC__I4__I4"),
                ("Edge_Micro_Interop_FlashModelStore", "NativePrepare___STATIC__I4__I4__I4__I4"),
                ("Edge_Micro_Interop_FlashModelStore", "NativePrepared___STATIC__I4__I4__SZARRAY_I4"),
                ("Edge_Micro_Interop_FlashModelStore", "NativeAppend___STATIC__I4__I4__SZARRAY_U1__I4__I4"),
                ("Edge_Micro_Interop_FlashModelStore", "NativeRead___STATIC__I4__I4__I4__SZARRAY_U1__I4__I4"),
                ("Edge_Micro_Interop_FlashModelStore", "NativeState___STATIC__I4__SZARRAY_U1__SZARRAY_I4"),
                ("Edge_Micro_Interop_FlashModelStore", "NativeWriteState___STATIC__I4__I4__SZARRAY_U1__I4"),
                ("Edge_Micro_Interop_NativeKernels", "RunOp___STATIC__I4__SZARRAY_U1__SZARRAY_U1__I4"),
                ("Edge_Micro_Interop_NativeKernels", "RunFlashOp___STATIC__I4__SZARRAY_U1__I4"),
                ("Edge_Micro_Interop_NativeKernels", "RunSlotOp___STATIC__I4__I4__I4__SZARRAY_U1__I4"),
                ("Edge_Micro_Interop_NativeMicroFrontend", "Process___STATIC__I4__SZARRAY_I2__I4__SZARRAY_U4__SZARRAY_U1__I4"),
            ],
            native);
    }

    [Fact]
    public void Checksum_crc_is_msb_first_0x04C11DB7_without_reflection_or_final_xor()
    {
        // Independent bitwise implementation of the same CRC.
        static uint Bitwise(byte[] data, uint crc)
        {
            foreach (byte b in data)
            {
                crc ^= (uint)b << 24;
                for (int i = 0; i < 8; i++)
                {
                    crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
                }
            }

            return crc;
        }

        byte[] text = "123456789"u8.ToArray();
        Assert.Equal(Bitwise(text, 0), NativeChecksum.Compute(text, 0));
        Assert.Equal(Bitwise(text, 0xFFFFFFFF) ^ 0xFFFFFFFF, NativeChecksum.Compute(text, 0xFFFFFFFF) ^ 0xFFFFFFFF);
        Assert.Equal(0x0376E6E7u, NativeChecksum.Compute(text, 0xFFFFFFFF)); // CRC-32/MPEG-2 check value: same polynomial and shift
    }

    /// <summary>
    /// Rows of delegate types in the firmware's lookup tables of ../shared/nanoframework/interop-checksums.md, by
    /// assembly: the first row of each delegate's four (.ctor, Invoke, BeginInvoke, EndInvoke). Delegates take
    /// lookup rows but no part in the checksum. The vectors list NULL rows without their types; these positions
    /// are the four-row runs of NULL rows that the assemblies' delegates (Runtime.Native's RebootEventHandler,
    /// System.Device.Gpio's two event handlers) fill, and only the count of NULL rows between two native rows
    /// matters to the checksum.
    /// </summary>
    private static readonly Dictionary<string, int[]> DelegateRows = new()
    {
        ["nanoFramework.ResourceManager"] = [],
        ["System.Device.Gpio"] = [42, 70],
        ["nanoFramework.Runtime.Native"] = [10],
    };

    public static TheoryData<string> FirmwareAssemblies() => new(DelegateRows.Keys);

    [SkippableTheory]
    [MemberData(nameof(FirmwareAssemblies))]
    public void Checksum_equals_the_one_compiled_into_nanoFrameworks_firmware(string assembly)
    {
        string text = File.ReadAllText(Path.Combine(SharedData.NanoFramework(), "interop-checksums.md"));
        Match section = Regex.Match(text, $@"## {Regex.Escape(assembly)} \((0x[0-9A-F]{{8}})\)[^\n]*\n+```\n(.*?)```", RegexOptions.Singleline);
        Assert.True(section.Success, $"no vector for {assembly} in interop-checksums.md");
        uint expected = Convert.ToUInt32(section.Groups[1].Value, 16);
        string[] rows = section.Groups[2].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var skipped = DelegateRows[assembly].SelectMany(first => Enumerable.Range(first, 4)).ToHashSet();
        Assert.All(skipped, i => Assert.Equal("-", rows[i]));

        var crc = new NativeChecksum(assembly);
        for (int i = 0; i < rows.Length; i++)
        {
            if (skipped.Contains(i))
            {
                continue;
            }

            if (rows[i] == "-")
            {
                crc.AddManaged();
                continue;
            }

            // Library_<native id>_<Namespace_Class>::<mangled>: the native id's parts are lower case, the class
            // name starts at the first part with an upper-case letter (System_..., nanoFramework_...).
            string[] sides = rows[i].Split("::");
            string[] parts = sides[0].Split('_').Skip(1).ToArray();
            int classStart = Array.FindIndex(parts, p => p.Any(char.IsUpper));
            crc.AddNative(string.Join("_", parts.Skip(classStart)), sides[1]);
        }

        Assert.Equal($"0x{expected:X8}", $"0x{crc.Value:X8}");
    }

    [SkippableFact]
    public void The_interop_assembly_vector_of_the_metadata_processor_is_reproduced()
    {
        // The metadata processor (nanoframework/metadata-processor @ 4541b46) gave 0xF9779E50 for the interop
        // assembly at main 47d0704 (../shared/nanoframework/interop-checksums.md), whose method table was this:
        // twelve methods, RunOp the 4th and Process the 12th native, every other one managed. The assembly has
        // more native methods now (FlashModel), so its checksum moved; the algorithm must still give the vector.
        string text = File.ReadAllText(Path.Combine(SharedData.NanoFramework(), "interop-checksums.md"));
        Match row = Regex.Match(text, @"\| Edge\.Micro\.Interop [^|]*\| (0x[0-9A-F]{8}) per the metadata processor");
        Assert.True(row.Success, "no Edge.Micro.Interop row in interop-checksums.md");
        var crc = new NativeChecksum("Edge.Micro.Interop");
        for (int i = 0; i < 12; i++)
        {
            if (i == 3)
            {
                crc.AddNative("Edge_Micro_Interop_NativeKernels", "RunOp___STATIC__I4__SZARRAY_U1__SZARRAY_U1__I4");
            }
            else if (i == 11)
            {
                crc.AddNative("Edge_Micro_Interop_NativeMicroFrontend", "Process___STATIC__I4__SZARRAY_I2__I4__SZARRAY_U4__SZARRAY_U1__I4");
            }
            else
            {
                crc.AddManaged();
            }
        }

        Assert.Equal(row.Groups[1].Value, $"0x{crc.Value:X8}");
    }

    [Fact]
    public void Checked_in_checksum_is_the_generators_for_the_assembly_nf_proj_builds()
    {
        StubGenerator.Generate(Assembly, out uint checksum, out _);
        Assert.Contains($"0x{checksum:X8},", File.ReadAllText(Path.Combine(StubDir, "Edge_Micro_Interop.cpp")));
    }

    [Fact]
    public void The_first_native_method_contributes_only_its_mangled_name()
    {
        var chained = new NativeChecksum("Assembly");
        chained.AddNative("Class", "M___STATIC__VOID");
        Assert.Equal(NativeChecksum.Compute("M___STATIC__VOID"u8.ToArray(), 0), chained.Value);

        // The second native method chains all three names onto the first.
        uint afterFirst = chained.Value;
        chained.AddNative("Class", "N___STATIC__VOID");
        uint expected = NativeChecksum.Compute("N___STATIC__VOID"u8.ToArray(),
            NativeChecksum.Compute("Class"u8.ToArray(), NativeChecksum.Compute("Assembly"u8.ToArray(), afterFirst)));
        Assert.Equal(expected, chained.Value);
    }

    [Fact]
    public void Leading_managed_methods_do_not_change_the_checksum()
    {
        var a = new NativeChecksum("A");
        a.AddManaged();
        a.AddManaged();
        a.AddNative("C", "M___STATIC__VOID");
        var b = new NativeChecksum("A");
        b.AddNative("C", "M___STATIC__VOID");
        Assert.Equal(b.Value, a.Value);
        var none = new NativeChecksum("A");
        none.AddManaged();
        Assert.Equal(0u, none.Value);
    }
}
