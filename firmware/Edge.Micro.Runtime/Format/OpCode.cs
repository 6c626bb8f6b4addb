namespace Edge.Micro.Runtime.Format
{
    /// <summary>
    /// Op codes of the .emm format. Each op's parameter layout is in docs/format.md under its name and
    /// in the Param* constants of its kernel class.
    /// </summary>
    public static class OpCode
    {
        public const int Conv2D = 1;
        public const int DepthwiseConv2D = 2;
        public const int FullyConnected = 3;
        public const int AveragePool2D = 4;
        public const int MaxPool2D = 5;
        public const int Reshape = 6;
        public const int Softmax = 7;
        public const int Add = 8;
        public const int Mean = 9;
        public const int Logistic = 10;
        public const int Tanh = 11;
        public const int Quantize = 12;
        public const int Dequantize = 13;
        public const int Svdf = 14;
        public const int Conv2DS16 = 15;
        public const int DepthwiseConv2DS16 = 16;
        public const int FullyConnectedS16 = 17;
        public const int SoftmaxS16 = 18;
        public const int LogisticS16 = 19;
        public const int TanhS16 = 20;
        public const int UnidirectionalSequenceLstm = 21;

        /// <summary>One past the largest op code.</summary>
        public const int Count = 22;

        /// <summary>TFLite-style upper-case name of an op code.</summary>
        public static string Name(int code)
        {
            switch (code)
            {
                case Conv2D: return "CONV_2D";
                case DepthwiseConv2D: return "DEPTHWISE_CONV_2D";
                case FullyConnected: return "FULLY_CONNECTED";
                case AveragePool2D: return "AVERAGE_POOL_2D";
                case MaxPool2D: return "MAX_POOL_2D";
                case Reshape: return "RESHAPE";
                case Softmax: return "SOFTMAX";
                case Add: return "ADD";
                case Mean: return "MEAN";
                case Logistic: return "LOGISTIC";
                case Tanh: return "TANH";
                case Quantize: return "QUANTIZE";
                case Dequantize: return "DEQUANTIZE";
                case Svdf: return "SVDF";
                case Conv2DS16: return "CONV_2D_S16";
                case DepthwiseConv2DS16: return "DEPTHWISE_CONV_2D_S16";
                case FullyConnectedS16: return "FULLY_CONNECTED_S16";
                case SoftmaxS16: return "SOFTMAX_S16";
                case LogisticS16: return "LOGISTIC_S16";
                case TanhS16: return "TANH_S16";
                case UnidirectionalSequenceLstm: return "UNIDIRECTIONAL_SEQUENCE_LSTM";
                default: return "UNKNOWN";
            }
        }
    }
}
