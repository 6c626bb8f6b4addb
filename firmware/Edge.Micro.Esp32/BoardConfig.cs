namespace Edge.Micro.Esp32
{
    /// <summary>Everything board-specific in one place: pins, buses, the model's labels and the kernel choice.</summary>
    public static class BoardConfig
    {
        // INMP441-class I2S microphone (SCK, WS, SD); L/R tied low = left channel.
        public const int I2sBus = 1;
        public const int I2sClockPin = 26;
        public const int I2sWordSelectPin = 25;
        public const int I2sDataPin = 33;

        // LED pulsed on each detection.
        public const int LedPin = 2;

        // The diagnostics shell on its own UART (COM2), not the debugger's wire protocol on COM1.
        public const string ShellUart = "COM2";
        public const int ShellBaud = 115200;
        public const int ShellTxPin = 17;
        public const int ShellRxPin = 16;

        // micro_speech's labels; silence and unknown never fire.
        public static readonly string[] Labels = { "silence", "unknown", "yes", "no" };
        public static readonly string[] IgnoredLabels = { "silence", "unknown" };

        /// <summary>True with the custom firmware image that contains the native kernels (docs/firmware.md).</summary>
        public const bool UseNativeKernels = false;

        /// <summary>Run the model every N 20 ms frames (managed kernels on a stock image need a larger N).</summary>
        public const int InferenceEveryFrames = 25;
    }
}
