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
                ("Edge_Micro_Interop_NativeKernels", "RunOp___STATIC__I4__SZARRAY_U1__SZARRAY_U1__I4"),
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
