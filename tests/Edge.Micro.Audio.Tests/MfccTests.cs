using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Converter;
using Edge.Micro.Host.Audio;
using Edge.Micro.Runtime;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Audio.Tests;

/// <summary>The MFCC front end feeding Arm's DS-CNN small labels the corpus clips as the issue defines.</summary>
public class MfccTests
{
    private static readonly string[] Labels = Detector.DsCnnLabels;

    private static float[] Probabilities(string clip)
    {
        byte[] wav = File.ReadAllBytes(Corpus.PathOf("wav", clip + ".wav"));
        short[] samples = Enumerable.Range(0, (wav.Length - 44) / 2).Select(i => BitConverter.ToInt16(wav, 44 + 2 * i)).ToArray();
        var fe = new MfccFrontEnd(MfccTableBuilder.Build());
        var input = new byte[49 * fe.FrameBytes];
        for (int f = 0; f < 49; f++)
        {
            fe.Extract(samples, f * 320, input, f * fe.FrameBytes);
        }

        var model = new Model(ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "ds_cnn_s_quantized.tflite")), "ds_cnn_s").Emm);
        var interpreter = new Interpreter(model);
        interpreter.SetInput(0, input, 0);
        interpreter.Invoke();
        var output = new byte[48];
        interpreter.GetOutput(0, output, 0);
        return Enumerable.Range(0, 12).Select(i => BitConverter.ToSingle(output, 4 * i)).ToArray();
    }

    [SkippableTheory]
    [InlineData("yes_1000ms", "yes")]
    [InlineData("silence_1000ms", "silence")]
    public void Clear_clips_are_labelled_with_probability_above_0_99(string clip, string expected)
    {
        float[] p = Probabilities(clip);
        int top = Array.IndexOf(p, p.Max());
        Assert.Equal(expected, Labels[top]);
        Assert.True(p[top] > 0.99f, $"{expected}: {p[top]}");
    }

    [SkippableFact]
    public void No_ties_with_go_and_the_first_index_reads_no()
    {
        float[] p = Probabilities("no_1000ms");
        Assert.Equal(p[Array.IndexOf(Labels, "no")], p[Array.IndexOf(Labels, "go")]);
        Assert.Equal("no", Labels[Array.IndexOf(p, p.Max())]);
    }

    [Fact]
    public void Portable_log_and_sqrt_match_System_Math()
    {
        var random = new Random(3);
        for (int i = 0; i < 100_000; i++)
        {
            double x = Math.Exp(random.NextDouble() * 80 - 40);
            Assert.Equal(Math.Log(x), FloatMath.Log(x), 1e-13);
            Assert.Equal(Math.Sqrt(x), FloatMath.Sqrt(x), Math.Sqrt(x) * 1e-15);
        }

        Assert.Equal(Math.Log(1e-12), FloatMath.Log(1e-12), 1e-13);
    }
}
