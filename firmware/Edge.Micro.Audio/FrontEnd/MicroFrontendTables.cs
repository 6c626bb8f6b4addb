namespace Edge.Micro.Audio.FrontEnd
{
    /// <summary>
    /// Everything the micro front end would otherwise compute with floating-point math at start-up: the
    /// window, the FFT twiddles, the mel filterbank layout and weights, and the PCAN gain curve. They are
    /// computed ahead of time on the desktop (tools/Edge.Micro.Host/Audio/MicroFrontendTableBuilder.cs), so
    /// the device needs no System.Math and no floating point. All arrays are owned by this object.
    /// </summary>
    public sealed class MicroFrontendTables
    {
        /// <summary>Window coefficients (window length values, scaled by 2^WindowShift).</summary>
        public short[] Window;

        /// <summary>Right shift applied after windowing.</summary>
        public int WindowShift;

        /// <summary>Real FFT length (a power of two, at least the window length).</summary>
        public int FftLength;

        /// <summary>Twiddles of the complex FFT of FftLength / 2 points: re, im interleaved (Q15).</summary>
        public short[] Twiddles;

        /// <summary>Radix factors of the complex FFT, as kissfft computes them (p, m pairs).</summary>
        public int[] Factors;

        /// <summary>The real-FFT post-processing twiddles: re, im interleaved (Q15), FftLength / 4 entries.</summary>
        public short[] SuperTwiddles;

        /// <summary>First and one-past-last FFT bin whose energy is used (the others count as zero).</summary>
        public int EnergyStart;

        /// <summary>One past the last FFT bin whose energy is used.</summary>
        public int EnergyEnd;

        /// <summary>Number of mel channels.</summary>
        public int Channels;

        /// <summary>Per channel + 1: first FFT bin, first weight index, number of weights.</summary>
        public short[] ChannelFrequencyStarts;

        /// <summary>Per channel + 1: index of the channel's first weight.</summary>
        public short[] ChannelWeightStarts;

        /// <summary>Per channel + 1: number of weights.</summary>
        public short[] ChannelWidths;

        /// <summary>Filterbank weights and unweights (Q12).</summary>
        public short[] Weights;

        /// <summary>1 - weight for the next channel (Q12).</summary>
        public short[] Unweights;

        /// <summary>Noise reduction: smoothing coefficients (even and odd channels), floor, all in Q(SpectralSubtractionBits).</summary>
        public int EvenSmoothing;

        /// <summary>Smoothing of odd channels.</summary>
        public int OddSmoothing;

        /// <summary>Minimum fraction of the signal kept by spectral subtraction.</summary>
        public int MinSignalRemaining;

        /// <summary>Extra fractional bits of the noise estimate.</summary>
        public int SmoothingBits;

        /// <summary>Scale bits of the smoothing coefficients.</summary>
        public int SpectralSubtractionBits;

        /// <summary>PCAN gain lookup table (125 entries for 32-bit inputs).</summary>
        public short[] PcanGainLut;

        /// <summary>Right shift that turns signal x gain into the SNR with 12 fractional bits.</summary>
        public int PcanSnrShift;

        /// <summary>Left shift of the filterbank values before the log.</summary>
        public int LogCorrectionBits;

        /// <summary>Scale of the log output (1 &lt;&lt; scale shift).</summary>
        public int LogOutputScale;
    }
}
