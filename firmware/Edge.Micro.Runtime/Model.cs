using System;
using Edge.Micro.Runtime.Format;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Runtime
{
    /// <summary>
    /// A loaded, fully validated .emm model. Loaded from a byte array, the bytes are used in place (weights,
    /// biases and multiplier arrays are never copied); loaded through an <see cref="IModelReader"/> (flash, a
    /// resource), only the tables before the constant data are kept in RAM and each op's constants are read into
    /// one window when the op runs (<see cref="PageIn"/>): the model is never copied into RAM. Only the small
    /// tensor and op tables are decoded into arrays. After construction every kernel can run without a bounds
    /// surprise: each op was checked against its kernel's contract (<c>Validate</c> in each kernel class).
    /// </summary>
    public sealed class Model
    {
        private const int NoConstants = int.MaxValue;
        private const int CrcChunkBytes = 256;

        private readonly byte[] _bytes;
        private readonly IModelReader _reader;
        private readonly byte[] _head;
        private readonly int _length;
        private readonly uint _crc;
        private readonly int _constStart;
        private readonly int _constBytes;
        private readonly int _arenaBytes;
        private readonly int _frontEnd;

        private readonly int[] _tensorType;
        private readonly int[] _tensorRank;
        private readonly int[] _tensorDims;
        private readonly int[] _tensorStorage;
        private readonly int[] _tensorOffset;
        private readonly int[] _tensorBytes;
        private readonly int[] _tensorZeroPoint;
        private readonly float[] _tensorScale;
        private readonly int[] _tensorName;

        private readonly int[] _opCode;
        private readonly int[] _opInputCount;
        private readonly int[] _opOutputCount;
        private readonly int[] _opTensorStart;
        private readonly int[] _opTensors;
        private readonly int[] _opParamStart;
        private readonly int[] _opParamCount;
        private readonly int[] _params;

        private readonly int[] _inputs;
        private readonly int[] _outputs;
        private readonly int _stringsStart;
        private readonly int _stringBytes;
        private readonly int _nameOffset;

        // Loaded through a reader only: each op's constants [start, end) in the file, the window they are read into.
        private readonly int[] _opConstStart;
        private readonly int[] _opConstEnd;
        private readonly int _windowBytes;
        private readonly byte[] _scratch;
        private byte[] _window;
        private int _windowBase;
        private int _windowOp = -1;

        /// <summary>Loads and validates a model held in RAM, used in place; throws <see cref="ModelException"/> with a <see cref="ModelError"/> code.</summary>
        public Model(byte[] bytes)
            : this(bytes, null)
        {
        }

        /// <summary>
        /// Loads and validates a model through <paramref name="reader"/> without copying it into RAM: the tables are
        /// read once, the CRC is checked in pieces, and each op's constants are read into a window of
        /// <see cref="ConstantWindowBytes"/> when it runs. Throws <see cref="ModelException"/> as the byte-array form.
        /// </summary>
        public Model(IModelReader reader)
            : this(null, CheckReader(reader))
        {
        }

        private Model(byte[] bytes, IModelReader reader)
        {
            if (reader == null)
            {
                if (bytes == null || bytes.Length < EmmFormat.HeaderBytes)
                {
                    throw new ModelException(ModelError.TooSmall, null);
                }

                _bytes = bytes;
                _head = bytes;
                _length = bytes.Length;
            }
            else
            {
                _reader = reader;
                _length = reader.Length;
                _head = ReadHead(reader);
                _scratch = new byte[CrcChunkBytes];
            }

            bytes = _head;
            if (LittleEndian.ReadUInt32(bytes, EmmFormat.HeaderMagic) != EmmFormat.Magic)
            {
                throw new ModelException(ModelError.BadMagic, null);
            }

            int version = LittleEndian.ReadUInt16(bytes, EmmFormat.HeaderVersion);
            if (version != EmmFormat.Version)
            {
                throw new ModelException(ModelError.UnsupportedVersion, "file has version " + version + ", this runtime reads version " + EmmFormat.Version);
            }

            if (LittleEndian.ReadUInt16(bytes, EmmFormat.HeaderHeaderBytes) != EmmFormat.HeaderBytes)
            {
                throw new ModelException(ModelError.BadHeader, "header size");
            }

            uint total = LittleEndian.ReadUInt32(bytes, EmmFormat.HeaderTotalBytes);
            if (total != (uint)_length)
            {
                throw new ModelException(ModelError.LengthMismatch, "header says " + total + " bytes, file has " + _length);
            }

            uint crc = _reader == null ? Crc32.Compute(bytes, EmmFormat.CrcStart, _length - EmmFormat.CrcStart) : Crc32.Compute(_reader, EmmFormat.CrcStart, _scratch);
            if (crc != LittleEndian.ReadUInt32(bytes, EmmFormat.HeaderCrc32))
            {
                throw new ModelException(ModelError.CrcMismatch, null);
            }

            _crc = crc;

            _arenaBytes = LittleEndian.ReadInt32(bytes, EmmFormat.HeaderArenaBytes);
            if (_arenaBytes < 0 || _arenaBytes > EmmFormat.MaxArenaBytes)
            {
                throw new ModelException(ModelError.BadHeader, "arena of " + _arenaBytes + " bytes; at most " + EmmFormat.MaxArenaBytes);
            }

            int flags = LittleEndian.ReadInt32(bytes, EmmFormat.HeaderFlags);
            if (flags < EmmFormat.FrontEndNone || flags > EmmFormat.FrontEndMfcc)
            {
                throw new ModelException(ModelError.BadHeader, "flags " + flags);
            }

            _frontEnd = flags;
            int tensorCount = LittleEndian.ReadUInt16(bytes, EmmFormat.HeaderTensorCount);
            int opCount = LittleEndian.ReadUInt16(bytes, EmmFormat.HeaderOpCount);
            int inputCount = LittleEndian.ReadUInt16(bytes, EmmFormat.HeaderInputCount);
            int outputCount = LittleEndian.ReadUInt16(bytes, EmmFormat.HeaderOutputCount);
            if (tensorCount == 0 || inputCount == 0 || outputCount == 0)
            {
                throw new ModelException(ModelError.BadHeader, "empty model");
            }

            int tensorTable = CheckTable(EmmFormat.HeaderTensorTable, (long)tensorCount * EmmFormat.TensorRecordBytes);
            int opTable = CheckTable(EmmFormat.HeaderOpTable, (long)opCount * 4);
            int ioTable = CheckTable(EmmFormat.HeaderIoTable, (long)(inputCount + outputCount) * 2);
            _constStart = LittleEndian.ReadInt32(bytes, EmmFormat.HeaderConstData);
            _constBytes = LittleEndian.ReadInt32(bytes, EmmFormat.HeaderConstBytes);
            if (_constStart < 0 || _constBytes < 0 || (long)_constStart + _constBytes > _length)
            {
                throw new ModelException(ModelError.TableOutOfRange, "constant data");
            }

            if (_constStart % EmmFormat.ConstantAlignment != 0)
            {
                throw new ModelException(ModelError.TableOutOfRange, "constant data is not 16-byte aligned");
            }

            _stringsStart = LittleEndian.ReadInt32(bytes, EmmFormat.HeaderStrings);
            _stringBytes = LittleEndian.ReadInt32(bytes, EmmFormat.HeaderStringBytes);
            CheckRange(_stringsStart, _stringBytes, ModelError.TableOutOfRange, "strings");
            _nameOffset = LittleEndian.ReadInt32(bytes, EmmFormat.HeaderModelName);
            CheckString(_nameOffset);

            _tensorType = new int[tensorCount];
            _tensorRank = new int[tensorCount];
            _tensorDims = new int[tensorCount * EmmFormat.MaxRank];
            _tensorStorage = new int[tensorCount];
            _tensorOffset = new int[tensorCount];
            _tensorBytes = new int[tensorCount];
            _tensorZeroPoint = new int[tensorCount];
            _tensorScale = new float[tensorCount];
            _tensorName = new int[tensorCount];
            for (int t = 0; t < tensorCount; t++)
            {
                ReadTensor(t, tensorTable + t * EmmFormat.TensorRecordBytes);
            }

            _inputs = ReadIndexList(ioTable, inputCount, tensorCount);
            _outputs = ReadIndexList(ioTable + inputCount * 2, outputCount, tensorCount);
            for (int i = 0; i < inputCount; i++)
            {
                RequireArena(_inputs[i], ModelError.BadIoTable);
            }

            for (int i = 0; i < outputCount; i++)
            {
                RequireArena(_outputs[i], ModelError.BadIoTable);
            }

            _opCode = new int[opCount];
            _opInputCount = new int[opCount];
            _opOutputCount = new int[opCount];
            _opTensorStart = new int[opCount];
            _opParamStart = new int[opCount];
            _opParamCount = new int[opCount];
            if (_reader != null)
            {
                _opConstStart = new int[opCount];
                _opConstEnd = new int[opCount];
            }

            int tensorRefs = 0;
            int paramTotal = 0;
            for (int op = 0; op < opCount; op++)
            {
                int record = LittleEndian.ReadInt32(bytes, opTable + op * 4);
                CheckRange(record, EmmFormat.OpRecordHeaderBytes, ModelError.BadOpRecord, "op " + op);
                int recordBytes = LittleEndian.ReadUInt16(bytes, record + 2);
                CheckRange(record, recordBytes, ModelError.BadOpRecord, "op " + op);
                int nIn = bytes[record + 4];
                int nOut = bytes[record + 5];
                int nParams = LittleEndian.ReadUInt16(bytes, record + 6);
                int indexBytes = Align4((nIn + nOut) * 2);
                if (record % 4 != 0 || nOut == 0 || EmmFormat.OpRecordHeaderBytes + indexBytes + nParams * 4 != recordBytes)
                {
                    throw new ModelException(ModelError.BadOpRecord, "op " + op);
                }

                _opCode[op] = LittleEndian.ReadUInt16(bytes, record);
                _opInputCount[op] = nIn;
                _opOutputCount[op] = nOut;
                _opTensorStart[op] = tensorRefs;
                _opParamStart[op] = paramTotal;
                _opParamCount[op] = nParams;
                tensorRefs += nIn + nOut;
                paramTotal += nParams;
            }

            _opTensors = new int[tensorRefs];
            _params = new int[paramTotal];
            for (int op = 0; op < opCount; op++)
            {
                int record = LittleEndian.ReadInt32(bytes, opTable + op * 4);
                int n = _opInputCount[op] + _opOutputCount[op];
                for (int i = 0; i < n; i++)
                {
                    int t = LittleEndian.ReadUInt16(bytes, record + EmmFormat.OpRecordHeaderBytes + i * 2);
                    if (t >= tensorCount)
                    {
                        throw new ModelException(ModelError.BadOpTensors, "op " + op + " refers to tensor " + t);
                    }

                    _opTensors[_opTensorStart[op] + i] = t;
                }

                if (_opConstStart != null)
                {
                    _opConstStart[op] = NoConstants;
                    for (int i = 0; i < _opInputCount[op]; i++)
                    {
                        int t = OpInput(op, i);
                        if (IsConstant(t))
                        {
                            IncludeConstants(op, _tensorOffset[t], _tensorBytes[t]);
                        }
                    }
                }

                int paramBase = record + EmmFormat.OpRecordHeaderBytes + Align4(n * 2);
                for (int i = 0; i < _opParamCount[op]; i++)
                {
                    _params[_opParamStart[op] + i] = LittleEndian.ReadInt32(bytes, paramBase + i * 4);
                }

                for (int o = 0; o < _opOutputCount[op]; o++)
                {
                    RequireArena(OpOutput(op, o), ModelError.BadOpTensors);
                }

                int error = KernelContracts.Validate(this, op);
                if (error != ModelError.None)
                {
                    throw new ModelException(error, "op " + op + " " + OpCode.Name(_opCode[op]));
                }

                if (_opConstStart != null && _opConstStart[op] != NoConstants && _opConstEnd[op] - _opConstStart[op] > _windowBytes)
                {
                    _windowBytes = _opConstEnd[op] - _opConstStart[op];
                }
            }
        }

        /// <summary>
        /// The bytes that constants' <see cref="DataOffset"/> and <see cref="ArrayOffset"/> index: the whole model
        /// file when it was loaded from an array; the current op's constants (after <see cref="PageIn"/>) when it was
        /// loaded through a reader.
        /// </summary>
        public byte[] Bytes { get { return _reader == null ? _bytes : _window; } }

        /// <summary>Total bytes of the model file.</summary>
        public int Length { get { return _length; } }

        /// <summary>The CRC-32 in the model's header (of bytes 16 to the end): identifies the model's exact bytes.</summary>
        public uint Crc { get { return _crc; } }

        /// <summary>The reader the model was loaded through, or null when it was loaded from a byte array.</summary>
        public IModelReader Reader { get { return _reader; } }

        /// <summary>
        /// Bytes of RAM the constant window needs when the model was loaded through a reader and the managed kernels
        /// run it: the largest span of one op's constants (0 when loaded from an array).
        /// </summary>
        public int ConstantWindowBytes { get { return _windowBytes; } }

        /// <summary>Bytes of the tables kept in RAM when loaded through a reader (header to the constant data); 0 when loaded from an array.</summary>
        public int TableBytes { get { return _reader == null ? 0 : _head.Length; } }

        /// <summary>
        /// Allocates the constant window (<see cref="ConstantWindowBytes"/>) of a model loaded through a reader, once;
        /// nothing for a model loaded from an array. Called by kernels that read constants from <see cref="Bytes"/>
        /// when an interpreter is built, so that inference allocates nothing.
        /// </summary>
        public void ReserveConstantWindow()
        {
            if (_reader != null && _window == null)
            {
                _window = new byte[_windowBytes];
            }
        }

        /// <summary>
        /// Makes op <paramref name="op"/>'s constants readable through <see cref="Bytes"/> (a model loaded through a
        /// reader reads them into the window unless they are there already; nothing for a model loaded from an array).
        /// Allocates nothing.
        /// </summary>
        public void PageIn(int op)
        {
            if (_reader == null || _windowOp == op)
            {
                return;
            }

            if (_window == null)
            {
                throw new InvalidOperationException("ReserveConstantWindow was not called");
            }

            int start = _opConstStart[op];
            if (start != NoConstants)
            {
                _reader.Read(start, _window, 0, _opConstEnd[op] - start);
                _windowBase = start;
            }

            _windowOp = op;
        }

        /// <summary>Copies constant tensor <paramref name="t"/>'s bytes into <paramref name="destination"/> (either way of loading; allocates nothing).</summary>
        public void CopyConstant(int t, byte[] destination, int destinationOffset)
        {
            if (_reader == null)
            {
                Array.Copy(_bytes, _tensorOffset[t], destination, destinationOffset, _tensorBytes[t]);
            }
            else
            {
                _reader.Read(_tensorOffset[t], destination, destinationOffset, _tensorBytes[t]);
            }
        }

        /// <summary>Element <paramref name="index"/> of the int32 constant array named by param <paramref name="i"/> (validation: works before <see cref="PageIn"/>).</summary>
        public int ArrayInt32(int op, int i, int index)
        {
            int offset = _constStart + Param(op, i) + index * 4;
            if (_reader == null)
            {
                return LittleEndian.ReadInt32(_bytes, offset);
            }

            _reader.Read(offset, _scratch, 0, 4);
            return LittleEndian.ReadInt32(_scratch, 0);
        }

        /// <summary>The front end the model needs (EmmFormat.FrontEnd*), as recorded by `convert --frontend`.</summary>
        public int FrontEnd { get { return _frontEnd; } }

        /// <summary>Bytes of RAM the interpreter's arena needs (activations and scratch).</summary>
        public int ArenaBytes { get { return _arenaBytes; } }

        public int TensorCount { get { return _tensorType.Length; } }

        public int OpCount { get { return _opCode.Length; } }

        public int InputCount { get { return _inputs.Length; } }

        public int OutputCount { get { return _outputs.Length; } }

        /// <summary>
        /// Bytes of RAM held by the decoded tables (tensor and op tables, parameters), not counting the
        /// per-object overhead of the managed heap (about 12-16 bytes for each of its 19 arrays on nanoFramework).
        /// </summary>
        public int DecodedTableBytes
        {
            get
            {
                int ints = _tensorType.Length * 7 + _tensorDims.Length + _opCode.Length * 6 + _opTensors.Length + _params.Length
                    + _inputs.Length + _outputs.Length;
                return ints * 4 + _tensorScale.Length * 4;
            }
        }

        /// <summary>Model name recorded by the converter.</summary>
        public string Name { get { return ReadString(_nameOffset); } }

        /// <summary>Name of a tensor (allocates a string: not for the inference path).</summary>
        public string TensorName(int t)
        {
            return ReadString(_tensorName[t]);
        }

        public int InputTensor(int i) { return _inputs[i]; }

        public int OutputTensor(int i) { return _outputs[i]; }

        public int TensorType(int t) { return _tensorType[t]; }

        public int Rank(int t) { return _tensorRank[t]; }

        /// <summary>Dimension i of tensor t (row-major, NHWC for rank 4).</summary>
        public int Dim(int t, int i) { return _tensorDims[t * EmmFormat.MaxRank + i]; }

        /// <summary>Last dimension of a tensor (1 for a scalar).</summary>
        public int LastDim(int t) { return _tensorRank[t] == 0 ? 1 : Dim(t, _tensorRank[t] - 1); }

        public int ByteSize(int t) { return _tensorBytes[t]; }

        public int ElementCount(int t) { return _tensorBytes[t] / ElementType.SizeOf(_tensorType[t]); }

        public int ZeroPoint(int t) { return _tensorZeroPoint[t]; }

        public float Scale(int t) { return _tensorScale[t]; }

        /// <summary>True when the tensor's data is in the model (flash); false when it is in the arena.</summary>
        public bool IsConstant(int t) { return _tensorStorage[t] == EmmFormat.StorageConstant; }

        /// <summary>True for persistent state (SVDF): an arena tensor that keeps its value between inferences.</summary>
        public bool IsState(int t) { return _tensorStorage[t] == EmmFormat.StorageState; }

        /// <summary>Offset of the tensor's first byte in its buffer: <see cref="Bytes"/> if constant (after <see cref="PageIn"/> of an op that reads it, for a model loaded through a reader), else the arena.</summary>
        public int DataOffset(int t) { return IsConstant(t) ? _tensorOffset[t] - _windowBase : _tensorOffset[t]; }

        /// <summary>The buffer holding a tensor: <see cref="Bytes"/> for constants, else the arena.</summary>
        public byte[] Buffer(int t, byte[] arena) { return IsConstant(t) ? Bytes : arena; }

        public int Op(int op) { return _opCode[op]; }

        public int OpInputCount(int op) { return _opInputCount[op]; }

        public int OpOutputCount(int op) { return _opOutputCount[op]; }

        public int OpInput(int op, int i) { return _opTensors[_opTensorStart[op] + i]; }

        public int OpOutput(int op, int i) { return _opTensors[_opTensorStart[op] + _opInputCount[op] + i]; }

        public int ParamCount(int op) { return _opParamCount[op]; }

        public int Param(int op, int i) { return _params[_opParamStart[op] + i]; }

        /// <summary>Multiply-accumulates of an op per inference (conv, depthwise conv, fully connected; 0 for others).</summary>
        public long Macs(int op)
        {
            int output = OpOutput(op, 0);
            switch (_opCode[op])
            {
                case OpCode.Conv2D:
                case OpCode.Conv2DS16:
                {
                    int filter = OpInput(op, 1);
                    return (long)ElementCount(output) * Dim(filter, 1) * Dim(filter, 2) * Dim(filter, 3);
                }

                case OpCode.DepthwiseConv2D:
                case OpCode.DepthwiseConv2DS16:
                {
                    int filter = OpInput(op, 1);
                    return (long)ElementCount(output) * Dim(filter, 1) * Dim(filter, 2);
                }

                case OpCode.FullyConnected:
                case OpCode.FullyConnectedS16:
                    return (long)ElementCount(output) * Dim(OpInput(op, 1), 1);
                case OpCode.Svdf:
                {
                    // Feature step: filters x input size; time step: filters x memory; per batch.
                    int feature = OpInput(op, SvdfS8.WeightsFeatureTensor);
                    int time = OpInput(op, SvdfS8.WeightsTimeTensor);
                    return (long)Dim(OpInput(op, SvdfS8.InputTensor), 0) * Dim(feature, 0) * (Dim(feature, 1) + Dim(time, 1));
                }

                case OpCode.UnidirectionalSequenceLstm:
                {
                    // Per batch and step, each of the 4 gates: units x (input size + units).
                    int units = Dim(OpInput(op, LstmS8.HiddenStateTensor), 1);
                    int input = OpInput(op, LstmS8.InputTensor);
                    return (long)Dim(input, 0) * Dim(input, 1) * LstmS8.GateCount * units * (Dim(input, 2) + units);
                }

                default:
                    return 0;
            }
        }

        /// <summary>Absolute offset in <see cref="Bytes"/> of a constant array whose offset (relative to the constant section) is in param i.</summary>
        public int ArrayOffset(int op, int i) { return _constStart + _params[_opParamStart[op] + i] - _windowBase; }

        /// <summary>
        /// True when param i names a constant array of count int32 values inside the constant section. Kernels'
        /// Validate calls it for every array their Eval reads: for a model loaded through a reader it also adds the
        /// array to the op's constants that <see cref="PageIn"/> reads.
        /// </summary>
        public bool HasInt32Array(int op, int i, int count)
        {
            int rel = Param(op, i);
            bool inside = rel >= 0 && rel % 4 == 0 && count >= 0 && (long)rel + (long)count * 4 <= _constBytes;
            if (inside && _opConstStart != null)
            {
                IncludeConstants(op, _constStart + rel, count * 4);
            }

            return inside;
        }

        private void IncludeConstants(int op, int start, int count)
        {
            if (start < _opConstStart[op])
            {
                _opConstStart[op] = start;
            }

            if (start + count > _opConstEnd[op])
            {
                _opConstEnd[op] = start + count;
            }
        }

        private static IModelReader CheckReader(IModelReader reader)
        {
            if (reader == null)
            {
                throw new ArgumentNullException("reader");
            }

            return reader;
        }

        // The header, the tables and the strings: everything before the constant data, which the format puts last.
        private static byte[] ReadHead(IModelReader reader)
        {
            if (reader.Length < EmmFormat.HeaderBytes)
            {
                throw new ModelException(ModelError.TooSmall, null);
            }

            byte[] header = new byte[EmmFormat.HeaderBytes];
            reader.Read(0, header, 0, EmmFormat.HeaderBytes);
            if (LittleEndian.ReadUInt32(header, EmmFormat.HeaderMagic) != EmmFormat.Magic)
            {
                throw new ModelException(ModelError.BadMagic, null);
            }

            int constStart = LittleEndian.ReadInt32(header, EmmFormat.HeaderConstData);
            if (constStart < EmmFormat.HeaderBytes || constStart > reader.Length)
            {
                throw new ModelException(ModelError.TableOutOfRange, "constant data");
            }

            byte[] head = new byte[constStart];
            reader.Read(0, head, 0, constStart);
            return head;
        }

        private void ReadTensor(int t, int record)
        {
            byte[] b = _head;
            int type = b[record + EmmFormat.TensorType];
            int rank = b[record + EmmFormat.TensorRank];
            int storage = b[record + EmmFormat.TensorStorage];
            int elementSize = ElementType.SizeOf(type);
            if (elementSize == 0 || rank > EmmFormat.MaxRank || storage < EmmFormat.StorageArena || storage > EmmFormat.StorageState)
            {
                throw new ModelException(ModelError.BadTensor, "tensor " + t);
            }

            long elements = 1;
            for (int i = 0; i < EmmFormat.MaxRank; i++)
            {
                int d = LittleEndian.ReadInt32(b, record + EmmFormat.TensorDims + i * 4);
                if (i < rank)
                {
                    if (d <= 0 || d > 0xFFFFFF)
                    {
                        throw new ModelException(ModelError.BadTensor, "tensor " + t + " dimension " + i);
                    }

                    elements *= d;
                    if (elements > int.MaxValue)
                    {
                        throw new ModelException(ModelError.BadTensor, "tensor " + t + " too large");
                    }
                }
                else if (d != 0)
                {
                    throw new ModelException(ModelError.BadTensor, "tensor " + t + " unused dimension");
                }

                _tensorDims[t * EmmFormat.MaxRank + i] = d;
            }

            int location = LittleEndian.ReadInt32(b, record + EmmFormat.TensorLocation);
            int size = LittleEndian.ReadInt32(b, record + EmmFormat.TensorBytes);
            if ((long)size != elements * elementSize)
            {
                throw new ModelException(ModelError.BadTensor, "tensor " + t + " byte size");
            }

            int limit = storage == EmmFormat.StorageConstant ? _constBytes : _arenaBytes;
            if (location < 0 || (long)location + size > limit || location % ElementType.SizeOf(type) != 0)
            {
                throw new ModelException(ModelError.TensorOutOfRange, "tensor " + t);
            }

            _tensorType[t] = type;
            _tensorRank[t] = rank;
            _tensorStorage[t] = storage;
            _tensorOffset[t] = storage == EmmFormat.StorageConstant ? _constStart + location : location;
            _tensorBytes[t] = size;
            _tensorZeroPoint[t] = LittleEndian.ReadInt32(b, record + EmmFormat.TensorZeroPoint);
            _tensorScale[t] = LittleEndian.ReadSingle(b, record + EmmFormat.TensorScale);
            _tensorName[t] = LittleEndian.ReadInt32(b, record + EmmFormat.TensorName);
            CheckString(_tensorName[t]);
        }

        private int[] ReadIndexList(int offset, int count, int tensorCount)
        {
            int[] list = new int[count];
            for (int i = 0; i < count; i++)
            {
                list[i] = LittleEndian.ReadUInt16(_head, offset + i * 2);
                if (list[i] >= tensorCount)
                {
                    throw new ModelException(ModelError.BadIoTable, "tensor " + list[i]);
                }
            }

            return list;
        }

        private void RequireArena(int t, int error)
        {
            if (IsConstant(t))
            {
                throw new ModelException(error, "tensor " + t + " must live in the arena");
            }
        }

        private int CheckTable(int headerField, long length)
        {
            int offset = LittleEndian.ReadInt32(_head, headerField);
            if (offset < EmmFormat.HeaderBytes || offset % 4 != 0 || offset + length > _head.Length)
            {
                throw new ModelException(ModelError.TableOutOfRange, "header field at " + headerField);
            }

            return offset;
        }

        private void CheckRange(int offset, int length, int error, string what)
        {
            if (offset < 0 || length < 0 || (long)offset + length > _head.Length)
            {
                throw new ModelException(error, what);
            }
        }

        private void CheckString(int relative)
        {
            // A string is a uint16 byte count followed by that many UTF-8 bytes, inside the string table.
            if (relative < 0 || (long)relative + 2 > _stringBytes
                || (long)relative + 2 + LittleEndian.ReadUInt16(_head, _stringsStart + relative) > _stringBytes)
            {
                throw new ModelException(ModelError.BadString, "offset " + relative);
            }
        }

        private string ReadString(int relative)
        {
            int start = _stringsStart + relative;
            int length = LittleEndian.ReadUInt16(_head, start);

            // The converter writes ASCII only (nanoFramework's mscorlib has no text encodings).
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                byte c = _head[start + 2 + i];
                chars[i] = c < 0x80 ? (char)c : '?';
            }

            return new string(chars);
        }

        private static int Align4(int value)
        {
            return (value + 3) & ~3;
        }
    }
}
