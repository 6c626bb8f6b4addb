using Edge.Micro.Audio.FrontEnd;
using Edge.Micro.Converter;
using Edge.Micro.Host.Audio;
using Edge.Micro.Runtime;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Audio.Tests;

/// <summary>Corpus clips -> the project's micro front end -> micro_speech -> the label TFLM's example test expects.</summary>
public class ClipLabelTests
{
    private static readonly string[] Labels = ["silence", "unknown", "yes", "no"];

    [SkippableTheory]
    [InlineData("yes_1000ms", "yes")]
    [InlineData("no_1000ms", "no")]
    [InlineData("silence_1000ms", "silence")]
    [InlineData("noise_1000ms", "silence")]
    public void Clip_gets_its_label_and_TFLMs_exact_scores(string clip, string expected)
    {
        byte[] wav = File.ReadAllBytes(Corpus.PathOf("wav", clip + ".wav"));
        short[] samples = Enumerable.Range(0, (wav.Length - 44) / 2).Select(i => BitConverter.ToInt16(wav, 44 + 2 * i)).ToArray();
        var fe = new MicroFrontend(MicroFrontendTableBuilder.Build(new MicroFrontendConfig()));
        var features = new sbyte[49 * 40];
        for (int f = 0; f < 49; f++)
        {
            fe.ProcessFrame(samples, f * 320, features, f * 40);
        }

        var model = new Model(ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "micro_speech_quantized.tflite")), "micro_speech").Emm);
        var interpreter = new Interpreter(model);
        interpreter.SetInput(0, (byte[])(Array)features, 0);
        interpreter.Invoke();
        var scores = new byte[4];
        interpreter.GetOutput(0, scores, 0);
        Assert.Equal(File.ReadAllBytes(Corpus.PathOf("audio_preprocessor", "wav_" + clip, "kws_output.bin")), scores);
        Assert.Equal(expected, Labels[Enumerable.Range(0, 4).MaxBy(i => (sbyte)scores[i])]);
    }
}
