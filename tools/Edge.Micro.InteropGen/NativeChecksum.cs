using System.Text;

namespace Edge.Micro.InteropGen;

/// <summary>
/// nanoFramework's native-methods checksum, as its metadata processor computes it: a CRC-32 (polynomial
/// 0x04C11DB7, most significant bit first, no reflection, no final xor) over, for each method of each stub
/// class in table order, either the assembly name, the class name and the mangled method name (a method with
/// native implementation) or the text "NULL" (any other method). Delegate and interface types take rows in
/// the lookup table but no part in the checksum.
/// Every step starts from the checksum so far, which reads 0 until a native method has been counted, and the
/// count goes up only after a native method's three steps. So leading managed methods change nothing, and the
/// first native method contributes its mangled name alone: its assembly and class name steps each start from
/// 0 and are overwritten. The firmware compares this value with the one compiled into its native table
/// (CLR_E_ASSM_WRONG_CHECKSUM, "Invalid native checksum", when they differ); the test vectors are nanoFramework's
/// own assemblies (tests/Edge.Micro.Runtime.Tests/NanoInteropStubTests.cs).
/// </summary>
public sealed class NativeChecksum
{
    private static readonly uint[] Table = BuildTable();
    private readonly byte[] _assembly;
    private uint _crc;
    private int _natives;

    /// <summary>Starts the checksum of an assembly.</summary>
    public NativeChecksum(string assemblyName) => _assembly = Encoding.ASCII.GetBytes(assemblyName);

    /// <summary>The checksum so far (0 when no native method was seen).</summary>
    public uint Value => _natives > 0 ? _crc : 0;

    /// <summary>Adds a method with a native implementation.</summary>
    public void AddNative(string className, string mangledMethod)
    {
        _crc = Compute(_assembly, Value);
        _crc = Compute(Encoding.ASCII.GetBytes(className), Value);
        _crc = Compute(Encoding.ASCII.GetBytes(mangledMethod), Value);
        _natives++;
    }

    /// <summary>Adds a method implemented in IL.</summary>
    public void AddManaged() => _crc = Compute("NULL"u8.ToArray(), Value);

    /// <summary>The CRC-32 variant the metadata processor uses.</summary>
    public static uint Compute(byte[] data, uint crc)
    {
        foreach (byte b in data)
        {
            crc = Table[((crc >> 24) ^ b) & 0xFF] ^ (crc << 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i << 24;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }

            table[i] = c;
        }

        return table;
    }
}
