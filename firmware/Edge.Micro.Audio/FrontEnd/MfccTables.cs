namespace Edge.Micro.Audio.FrontEnd
{
    /// <summary>
    /// Precomputed tables of the MFCC front end (computed on the desktop by
    /// tools/Edge.Micro.Host/Audio/MfccTableBuilder.cs): window, FFT twiddles, mel filterbank mapping and
    /// weights (TensorFlow's MfccMelFilterbank) and the DCT-II matrix (MfccDct).
    /// </summary>
    public sealed class MfccTables
    {
        /// <summary>Periodic Hann window (window length values).</summary>
        public double[] Window;

        /// <summary>FFT length (a power of two at least the window length).</summary>
        public int FftLength;

        /// <summary>cos(2 pi k / N) for k &lt; N/2.</summary>
        public double[] Cos;

        /// <summary>-sin(2 pi k / N) for k &lt; N/2.</summary>
        public double[] Sin;

        /// <summary>Per FFT bin: the channel whose right (falling) side it feeds, -1 before the first, -2 unused.</summary>
        public int[] BandMapper;

        /// <summary>Per FFT bin: weight toward BandMapper's channel (1 - weight goes to the next).</summary>
        public double[] Weights;

        /// <summary>First FFT bin used.</summary>
        public int StartIndex;

        /// <summary>Last FFT bin used (inclusive).</summary>
        public int EndIndex;

        /// <summary>Mel channels.</summary>
        public int Channels;

        /// <summary>Cepstral coefficients kept.</summary>
        public int Coefficients;

        /// <summary>DCT-II matrix, Coefficients x Channels, row-major, with the sqrt(2 / Channels) scale.</summary>
        public double[] Dct;
    }
}
