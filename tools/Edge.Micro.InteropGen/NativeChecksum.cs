using System.Text;

namespace Edge.Micro.InteropGen;

/// <summary>
/// nanoFramework's native-methods checksum (metadata processor, NativeMethodsCrc): a CRC-32 (polynomial
/// 0x04C11DB7, most significant bit first, no reflection, no final xor, chained from 0) over, for each method
/// of each stub class in table order, either the assembly name, the class name and the mangled method name
/// (a method with native implementation) or the text "NULL" (any other method). The running value stays 0
/// until the first native method, so leading managed methods do not change it.
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
        _crc = Compute(Encoding.ASCII.GetBytes(className), _crc);
        _crc = Compute(Encoding.ASCII.GetBytes(mangledMethod), _crc);
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
