namespace Edge.Micro.Runtime.Format
{
    /// <summary>
    /// Layout constants of the flat model format (.emm). docs/format.md is the specification; every
    /// offset here is named there. All multi-byte values are little-endian; every table starts 4-byte
    /// aligned and constant data starts 16-byte aligned.
    /// </summary>
    public static class EmmFormat
    {
        /// <summary>"EMMF" read as a little-endian uint32.</summary>
        public const uint Magic = 0x464D4D45;

        /// <summary>The only format version this runtime reads.</summary>
        public const int Version = 1;

        /// <summary>Bytes in the file header.</summary>
        public const int HeaderBytes = 64;

        /// <summary>Bytes in one tensor record.</summary>
        public const int TensorRecordBytes = 40;

        /// <summary>Bytes before the tensor indices of an op record.</summary>
        public const int OpRecordHeaderBytes = 8;

        /// <summary>Alignment of the constant-data section and of every constant array in it.</summary>
        public const int ConstantAlignment = 16;

        /// <summary>Alignment of every arena buffer.</summary>
        public const int ArenaAlignment = 16;

        /// <summary>
        /// Largest arena a model may ask for (4 MiB). An ESP32 has about 350 KB of SRAM; the cap keeps a
        /// corrupt header from making the desktop allocate gigabytes and bounds every kernel's work.
        /// </summary>
        public const int MaxArenaBytes = 4 * 1024 * 1024;

        /// <summary>Largest tensor rank the format stores.</summary>
        public const int MaxRank = 4;

        /// <summary>
        /// Name of the optional constant uint8 tensor, used by no op, that holds the detection threshold (0..255)
        /// the model was tuned with for each of its outputs (Edge.Micro.Audio's ModelThresholds reads it).
        /// </summary>
        public const string ThresholdsTensorName = "recognizer.thresholds";

        /// <summary>Value of a parameter that refers to no constant array.</summary>
        public const int NoArray = -1;

        // Header field offsets.
        public const int HeaderMagic = 0;
        public const int HeaderVersion = 4;
        public const int HeaderHeaderBytes = 6;
        public const int HeaderTotalBytes = 8;
        public const int HeaderCrc32 = 12;
        public const int HeaderArenaBytes = 16;
        public const int HeaderTensorCount = 20;
        public const int HeaderOpCount = 22;
        public const int HeaderInputCount = 24;
        public const int HeaderOutputCount = 26;
        public const int HeaderTensorTable = 28;
        public const int HeaderOpTable = 32;
        public const int HeaderIoTable = 36;
        public const int HeaderConstData = 40;
        public const int HeaderConstBytes = 44;
        public const int HeaderStrings = 48;
        public const int HeaderStringBytes = 52;
        public const int HeaderModelName = 56;
        public const int HeaderFlags = 60;

        /// <summary>Header flags: the front end the model needs, in the low byte (FrontEndNone, FrontEndMicro, FrontEndMfcc); other bits zero.</summary>
        public const int FrontEndNone = 0;

        /// <summary>The TFLM micro front end (micro_speech's 49 x 40 int8 features).</summary>
        public const int FrontEndMicro = 1;

        /// <summary>MFCC features (DS-CNN's 49 x 10 floats).</summary>
        public const int FrontEndMfcc = 2;

        /// <summary>First byte covered by the CRC-32 (everything after the CRC field).</summary>
        public const int CrcStart = 16;

        // Tensor record field offsets.
        public const int TensorType = 0;
        public const int TensorRank = 1;
        public const int TensorStorage = 2;
        public const int TensorDims = 4;
        public const int TensorLocation = 20;
        public const int TensorBytes = 24;
        public const int TensorZeroPoint = 28;
        public const int TensorScale = 32;
        public const int TensorName = 36;

        // Tensor storage kinds.
        /// <summary>The tensor lives in the arena at the given offset.</summary>
        public const int StorageArena = 0;

        /// <summary>The tensor is constant data at the given offset from the start of the constant section.</summary>
        public const int StorageConstant = 1;

        /// <summary>
        /// The tensor is persistent state in the arena (SVDF's activation state): it keeps its value between
        /// inferences, no other tensor shares its bytes, and a reset fills it with its zero point (int8) or 0.
        /// </summary>
        public const int StorageState = 2;
    }
}
