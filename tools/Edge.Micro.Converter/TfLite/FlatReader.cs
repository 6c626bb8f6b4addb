using Google.FlatBuffers;

namespace Edge.Micro.Converter.TfLite;

/// <summary>
/// Checked access to a FlatBuffer through the Google.FlatBuffers runtime's <see cref="ByteBuffer"/>.
/// Every offset and length is checked against the file before it is used, so a hostile or truncated
/// file yields a <see cref="ConverterException"/>, never an out-of-range read; nothing here loops over
/// a count that was not first bounded by the file length, so nothing can hang.
/// </summary>
public sealed class FlatReader
{
    private readonly ByteBuffer _bb;

    /// <summary>Wraps the file bytes.</summary>
    public FlatReader(byte[] bytes)
    {
        Bytes = bytes;
        _bb = new ByteBuffer(bytes);
    }

    /// <summary>The whole file.</summary>
    public byte[] Bytes { get; }

    /// <summary>Length of the file.</summary>
    public int Length => Bytes.Length;

    /// <summary>The root table.</summary>
    public FlatTable Root()
    {
        Require(0, 8, "file header");
        return TableAt(_bb.GetUint(0), "root table");
    }

    internal void Require(long position, long size, string what)
    {
        if (position < 0 || size < 0 || position + size > Bytes.Length)
        {
            throw new ConverterException($"corrupt .tflite: {what} lies outside the file (offset {position}, {size} bytes, file {Bytes.Length} bytes)");
        }
    }

    internal FlatTable TableAt(long position, string what)
    {
        Require(position, 4, what);
        long vtable = position - _bb.GetInt((int)position);
        Require(vtable, 4, what + " vtable");
        int vtableSize = _bb.GetUshort((int)vtable);
        int tableSize = _bb.GetUshort((int)vtable + 2);
        if (vtableSize < 4 || vtableSize % 2 != 0)
        {
            throw new ConverterException($"corrupt .tflite: {what} has a bad vtable");
        }

        Require(vtable, vtableSize, what + " vtable");
        Require(position, tableSize, what);
        return new FlatTable(this, (int)position, (int)vtable, vtableSize, tableSize, what);
    }

    internal byte GetByte(int p) => _bb.Get(p);
    internal ushort GetUShort(int p) => _bb.GetUshort(p);
    internal int GetInt(int p) => _bb.GetInt(p);
    internal uint GetUInt(int p) => _bb.GetUint(p);
    internal long GetLong(int p) => _bb.GetLong(p);
    internal ulong GetULong(int p) => _bb.GetUlong(p);
    internal float GetFloat(int p) => _bb.GetFloat(p);
}

/// <summary>One FlatBuffer table; fields are addressed by their schema index (0, 1, 2...).</summary>
public readonly struct FlatTable
{
    private readonly FlatReader _r;
    private readonly int _pos;
    private readonly int _vtable;
    private readonly int _vtableSize;
    private readonly int _tableSize;
    private readonly string _what;

    internal FlatTable(FlatReader r, int pos, int vtable, int vtableSize, int tableSize, string what)
    {
        _r = r;
        _pos = pos;
        _vtable = vtable;
        _vtableSize = vtableSize;
        _tableSize = tableSize;
        _what = what;
    }

    /// <summary>Offset of a field inside the table, or 0 when absent.</summary>
    private int FieldOffset(int field, int size)
    {
        int entry = 4 + 2 * field;
        if (entry + 2 > _vtableSize)
        {
            return 0;
        }

        int offset = _r.GetUShort(_vtable + entry);
        if (offset != 0 && offset + size > _tableSize)
        {
            throw new ConverterException($"corrupt .tflite: field {field} of {_what} lies outside its table");
        }

        return offset;
    }

    /// <summary>True when the field is present.</summary>
    public bool Has(int field) => FieldOffset(field, 1) != 0;

    public byte GetByte(int field, byte def = 0) { int o = FieldOffset(field, 1); return o == 0 ? def : _r.GetByte(_pos + o); }
    public bool GetBool(int field, bool def = false) { int o = FieldOffset(field, 1); return o == 0 ? def : _r.GetByte(_pos + o) != 0; }
    public int GetInt(int field, int def = 0) { int o = FieldOffset(field, 4); return o == 0 ? def : _r.GetInt(_pos + o); }
    public uint GetUInt(int field, uint def = 0) { int o = FieldOffset(field, 4); return o == 0 ? def : _r.GetUInt(_pos + o); }
    public ulong GetULong(int field, ulong def = 0) { int o = FieldOffset(field, 8); return o == 0 ? def : _r.GetULong(_pos + o); }
    public float GetFloat(int field, float def = 0) { int o = FieldOffset(field, 4); return o == 0 ? def : _r.GetFloat(_pos + o); }

    /// <summary>A sub-table, or null when absent.</summary>
    public FlatTable? GetTable(int field, string what)
    {
        int target = Reference(field);
        return target < 0 ? null : _r.TableAt(target, what);
    }

    /// <summary>A string (UTF-8), or null when absent.</summary>
    public string? GetString(int field)
    {
        (int start, int count) = Vector(field, 1, "string");
        return start < 0 ? null : System.Text.Encoding.UTF8.GetString(_r.Bytes, start, count);
    }

    /// <summary>A vector of scalars as a byte range: (start, count), start -1 when absent.</summary>
    public (int Start, int Count) Vector(int field, int elementSize, string what)
    {
        int target = Reference(field);
        if (target < 0)
        {
            return (-1, 0);
        }

        _r.Require(target, 4, what + " length");
        long count = _r.GetUInt(target);
        _r.Require(target + 4L, count * elementSize, what);
        return (target + 4, (int)count);
    }

    public int[] GetIntVector(int field, string what)
    {
        (int start, int count) = Vector(field, 4, what);
        var v = new int[count];
        for (int i = 0; i < count; i++) v[i] = _r.GetInt(start + 4 * i);
        return v;
    }

    public float[] GetFloatVector(int field, string what)
    {
        (int start, int count) = Vector(field, 4, what);
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = _r.GetFloat(start + 4 * i);
        return v;
    }

    public long[] GetLongVector(int field, string what)
    {
        (int start, int count) = Vector(field, 8, what);
        var v = new long[count];
        for (int i = 0; i < count; i++) v[i] = _r.GetLong(start + 8 * i);
        return v;
    }

    /// <summary>A vector of tables.</summary>
    public FlatTable[] GetTableVector(int field, string what)
    {
        (int start, int count) = Vector(field, 4, what);
        var v = new FlatTable[count];
        for (int i = 0; i < count; i++)
        {
            int p = start + 4 * i;
            v[i] = _r.TableAt(p + (long)_r.GetUInt(p), $"{what}[{i}]");
        }

        return v;
    }

    private int Reference(int field)
    {
        int o = FieldOffset(field, 4);
        if (o == 0)
        {
            return -1;
        }

        long target = (long)_pos + o + _r.GetUInt(_pos + o);
        _r.Require(target, 4, $"field {field} of {_what}");
        return (int)target;
    }
}
