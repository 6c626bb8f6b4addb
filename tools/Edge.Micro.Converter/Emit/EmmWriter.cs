using System.Text;
using Edge.Micro.Converter.Lowering;
using Edge.Micro.Runtime.Format;

namespace Edge.Micro.Converter.Emit;

/// <summary>
/// Serializes a planned <see cref="EmmGraph"/> as an .emm file (docs/format.md):
/// header | tensor table | input/output table | op offset table | op records | strings | constant data.
/// </summary>
public static class EmmWriter
{
    /// <summary>Longest name kept in the string table.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>Writes the model; the graph must have been planned.</summary>
    public static byte[] Write(EmmGraph graph)
    {
        var strings = new StringTable();
        int nameOffset = strings.Add(graph.Name);
        int[] tensorNames = graph.Tensors.Select(t => strings.Add(t.Name)).ToArray();

        // Constant data, each piece 16-byte aligned, grouped by op in run order: an op's constant input tensors
        // (those no earlier op placed) then its arrays; constants no op reads (the self-test case) last. A model
        // read from flash pages one op's constants at a time, so the RAM it needs is the largest op's span
        // (Model.ConstantWindowBytes, docs/firmware.md).
        var constData = new MemoryStream();
        var tensorConstOffset = new int[graph.Tensors.Count];
        var placed = new bool[graph.Tensors.Count];
        void PlaceTensor(int t)
        {
            if (!placed[t] && graph.Tensors[t].ConstantData is byte[] data)
            {
                tensorConstOffset[t] = AppendAligned(constData, data);
                placed[t] = true;
            }
        }

        var opParams = new List<int[]>();
        foreach (EmmOp op in graph.Ops)
        {
            foreach (int t in op.Inputs)
            {
                PlaceTensor(t);
            }

            int[] p = (int[])op.Params.Clone();
            foreach (ConstArray array in op.Arrays)
            {
                byte[] bytes = new byte[array.Values.Length * 4];
                for (int i = 0; i < array.Values.Length; i++)
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), array.Values[i]);
                }

                p[array.ParamIndex] = AppendAligned(constData, bytes);
            }

            opParams.Add(p);
        }

        for (int t = 0; t < graph.Tensors.Count; t++)
        {
            PlaceTensor(t);
        }

        int tensorTable = EmmFormat.HeaderBytes;
        int ioTable = tensorTable + graph.Tensors.Count * EmmFormat.TensorRecordBytes;
        int opTable = Align(ioTable + (graph.Inputs.Count + graph.Outputs.Count) * 2, 4);
        int recordsStart = opTable + graph.Ops.Count * 4;
        var recordOffsets = new int[graph.Ops.Count];
        int cursor = recordsStart;
        for (int i = 0; i < graph.Ops.Count; i++)
        {
            recordOffsets[i] = cursor;
            cursor += RecordBytes(graph.Ops[i], opParams[i]);
        }

        int stringsStart = cursor;
        byte[] stringBytes = strings.ToArray();
        int constStart = Align(stringsStart + stringBytes.Length, EmmFormat.ConstantAlignment);
        int total = constStart + (int)constData.Length;

        var b = new byte[total];
        WriteU32(b, EmmFormat.HeaderMagic, EmmFormat.Magic);
        WriteU16(b, EmmFormat.HeaderVersion, EmmFormat.Version);
        WriteU16(b, EmmFormat.HeaderHeaderBytes, EmmFormat.HeaderBytes);
        WriteU32(b, EmmFormat.HeaderTotalBytes, (uint)total);
        WriteI32(b, EmmFormat.HeaderArenaBytes, graph.ArenaBytes);
        WriteU16(b, EmmFormat.HeaderTensorCount, CheckedU16(graph.Tensors.Count, "tensors"));
        WriteU16(b, EmmFormat.HeaderOpCount, CheckedU16(graph.Ops.Count, "ops"));
        WriteU16(b, EmmFormat.HeaderInputCount, CheckedU16(graph.Inputs.Count, "inputs"));
        WriteU16(b, EmmFormat.HeaderOutputCount, CheckedU16(graph.Outputs.Count, "outputs"));
        WriteI32(b, EmmFormat.HeaderTensorTable, tensorTable);
        WriteI32(b, EmmFormat.HeaderOpTable, opTable);
        WriteI32(b, EmmFormat.HeaderIoTable, ioTable);
        WriteI32(b, EmmFormat.HeaderConstData, constStart);
        WriteI32(b, EmmFormat.HeaderConstBytes, (int)constData.Length);
        WriteI32(b, EmmFormat.HeaderStrings, stringsStart);
        WriteI32(b, EmmFormat.HeaderStringBytes, stringBytes.Length);
        WriteI32(b, EmmFormat.HeaderModelName, nameOffset);
        WriteI32(b, EmmFormat.HeaderFlags, graph.FrontEnd);

        for (int t = 0; t < graph.Tensors.Count; t++)
        {
            EmmTensor tensor = graph.Tensors[t];
            int r = tensorTable + t * EmmFormat.TensorRecordBytes;
            b[r + EmmFormat.TensorType] = (byte)tensor.Type;
            b[r + EmmFormat.TensorRank] = (byte)tensor.Shape.Length;
            b[r + EmmFormat.TensorStorage] = (byte)(tensor.IsConstant ? EmmFormat.StorageConstant
                : tensor.IsState ? EmmFormat.StorageState : EmmFormat.StorageArena);
            for (int d = 0; d < tensor.Shape.Length; d++)
            {
                WriteI32(b, r + EmmFormat.TensorDims + d * 4, tensor.Shape[d]);
            }

            WriteI32(b, r + EmmFormat.TensorLocation, tensor.IsConstant ? tensorConstOffset[t] : tensor.ArenaOffset);
            WriteI32(b, r + EmmFormat.TensorBytes, tensor.ByteSize);
            WriteI32(b, r + EmmFormat.TensorZeroPoint, tensor.ZeroPoint);
            WriteI32(b, r + EmmFormat.TensorScale, BitConverter.SingleToInt32Bits(tensor.Scale));
            WriteI32(b, r + EmmFormat.TensorName, tensorNames[t]);
        }

        for (int i = 0; i < graph.Inputs.Count; i++)
        {
            WriteU16(b, ioTable + i * 2, graph.Inputs[i]);
        }

        for (int i = 0; i < graph.Outputs.Count; i++)
        {
            WriteU16(b, ioTable + (graph.Inputs.Count + i) * 2, graph.Outputs[i]);
        }

        for (int i = 0; i < graph.Ops.Count; i++)
        {
            EmmOp op = graph.Ops[i];
            int r = recordOffsets[i];
            WriteI32(b, opTable + i * 4, r);
            WriteU16(b, r, op.Code);
            WriteU16(b, r + 2, RecordBytes(op, opParams[i]));
            b[r + 4] = (byte)op.Inputs.Length;
            b[r + 5] = (byte)op.Outputs.Length;
            WriteU16(b, r + 6, opParams[i].Length);
            int[] tensors = [.. op.Inputs, .. op.Outputs];
            for (int k = 0; k < tensors.Length; k++)
            {
                WriteU16(b, r + EmmFormat.OpRecordHeaderBytes + k * 2, tensors[k]);
            }

            int paramBase = r + EmmFormat.OpRecordHeaderBytes + Align(tensors.Length * 2, 4);
            for (int k = 0; k < opParams[i].Length; k++)
            {
                WriteI32(b, paramBase + k * 4, opParams[i][k]);
            }
        }

        stringBytes.CopyTo(b, stringsStart);
        constData.ToArray().CopyTo(b, constStart);
        WriteU32(b, EmmFormat.HeaderCrc32, Crc32.Compute(b, EmmFormat.CrcStart, total - EmmFormat.CrcStart));
        return b;
    }

    /// <summary>Recomputes the CRC-32 of a (possibly edited) model in place.</summary>
    public static void UpdateCrc(byte[] model) =>
        WriteU32(model, EmmFormat.HeaderCrc32, Crc32.Compute(model, EmmFormat.CrcStart, model.Length - EmmFormat.CrcStart));

    private static int RecordBytes(EmmOp op, int[] p) =>
        EmmFormat.OpRecordHeaderBytes + Align((op.Inputs.Length + op.Outputs.Length) * 2, 4) + p.Length * 4;

    private static int AppendAligned(MemoryStream s, byte[] data)
    {
        while (s.Length % EmmFormat.ConstantAlignment != 0)
        {
            s.WriteByte(0);
        }

        int offset = (int)s.Length;
        s.Write(data);
        return offset;
    }

    private static int Align(int v, int a) => (v + a - 1) / a * a;

    private static int CheckedU16(int v, string what) =>
        v <= ushort.MaxValue ? v : throw new ConverterException($"the model has {v} {what}; the format allows {ushort.MaxValue}");

    private static void WriteU16(byte[] b, int o, int v) => LittleEndian.WriteInt16(b, o, v);
    private static void WriteI32(byte[] b, int o, int v) => LittleEndian.WriteInt32(b, o, v);
    private static void WriteU32(byte[] b, int o, uint v) => LittleEndian.WriteInt32(b, o, (int)v);

    /// <summary>Length-prefixed ASCII strings; identical strings are stored once.</summary>
    private sealed class StringTable
    {
        private readonly MemoryStream _bytes = new();
        private readonly Dictionary<string, int> _offsets = [];

        public int Add(string s)
        {
            var ascii = new StringBuilder();
            foreach (char c in s.Length > MaxNameBytes ? s[..MaxNameBytes] : s)
            {
                ascii.Append(c is >= ' ' and < (char)0x7F ? c : '?');
            }

            string key = ascii.ToString();
            if (_offsets.TryGetValue(key, out int existing))
            {
                return existing;
            }

            int offset = (int)_bytes.Length;
            _bytes.WriteByte((byte)key.Length);
            _bytes.WriteByte(0);
            _bytes.Write(Encoding.ASCII.GetBytes(key));
            _offsets[key] = offset;
            return offset;
        }

        public byte[] ToArray() => _bytes.ToArray();
    }
}
