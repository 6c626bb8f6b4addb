using Edge.Micro.Audio.FrontEnd;

namespace Edge.Micro.Host.Audio;

/// <summary>
/// The MFCC front end's tables, with TensorFlow's formulas (audio_spectrogram: periodic Hann; mfcc:
/// MfccMelFilterbank and MfccDct), for Arm's DS-CNN configuration by default.
/// </summary>
public static class MfccTableBuilder
{
    /// <summary>Builds the tables: 16 kHz, 40 ms window, 1024-point FFT, 40 channels 20-4000 Hz, 10 coefficients.</summary>
    public static MfccTables Build(int sampleRate = 16000, int windowSamples = 640, int fftLength = 1024, int channels = 40,
        double lowerHz = 20, double upperHz = 4000, int coefficients = 10)
    {
        double pi = Math.Atan(1.0) * 4.0;
        var window = new double[windowSamples];
        for (int i = 0; i < windowSamples; i++)
        {
            window[i] = 0.5 - 0.5 * Math.Cos(2 * pi * i / windowSamples);
        }

        var cos = new double[fftLength / 2];
        var sin = new double[fftLength / 2];
        for (int k = 0; k < fftLength / 2; k++)
        {
            cos[k] = Math.Cos(2 * Math.PI * k / fftLength);
            sin[k] = -Math.Sin(2 * Math.PI * k / fftLength);
        }

        int inputLength = fftLength / 2 + 1;
        static double FreqToMel(double f) => 1127.0 * Math.Log(1.0 + f / 700.0);
        var centers = new double[channels + 1];
        double melLow = FreqToMel(lowerHz), melHi = FreqToMel(upperHz);
        double spacing = (melHi - melLow) / (channels + 1.0);
        for (int i = 0; i < channels + 1; i++)
        {
            centers[i] = melLow + spacing * (i + 1);
        }

        double hzPerBin = 0.5 * sampleRate / (inputLength - 1);
        int start = (int)(1.5 + lowerHz / hzPerBin);
        int end = (int)(upperHz / hzPerBin);
        var mapper = new int[inputLength];
        int channel = 0;
        for (int i = 0; i < inputLength; i++)
        {
            double melf = FreqToMel(i * hzPerBin);
            if (i < start || i > end)
            {
                mapper[i] = -2;
            }
            else
            {
                while (channel < channels && centers[channel] < melf)
                {
                    channel++;
                }

                mapper[i] = channel - 1;
            }
        }

        var weights = new double[inputLength];
        for (int i = 0; i < inputLength; i++)
        {
            int c = mapper[i];
            if (i < start || i > end)
            {
                weights[i] = 0;
            }
            else if (c >= 0)
            {
                weights[i] = (centers[c + 1] - FreqToMel(i * hzPerBin)) / (centers[c + 1] - centers[c]);
            }
            else
            {
                weights[i] = (centers[0] - FreqToMel(i * hzPerBin)) / (centers[0] - melLow);
            }
        }

        var dct = new double[coefficients * channels];
        double fnorm = Math.Sqrt(2.0 / channels);
        double arg = pi / channels;
        for (int i = 0; i < coefficients; i++)
        {
            for (int j = 0; j < channels; j++)
            {
                dct[i * channels + j] = fnorm * Math.Cos(i * arg * (j + 0.5));
            }
        }

        return new MfccTables
        {
            Window = window, FftLength = fftLength, Cos = cos, Sin = sin, BandMapper = mapper, Weights = weights,
            StartIndex = start, EndIndex = end, Channels = channels, Coefficients = coefficients, Dct = dct,
        };
    }
}
