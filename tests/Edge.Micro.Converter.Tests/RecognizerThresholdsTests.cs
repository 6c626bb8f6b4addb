using Edge.Micro.Audio.Recognition;
using Edge.Micro.Host.Audio;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Storage;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// The detection thresholds a model was tuned with ride in the .emm as the constant tensor recognizer.thresholds
/// (docs/format.md): the recognizer starts from them whether the model is in RAM or read from flash; a model
/// without them runs at TFLM's 200; a wrong count is refused at conversion.
/// </summary>
public class RecognizerThresholdsTests
{
    private static readonly string[] Labels = ["silence", "unknown", "yes", "no"];

    private static byte[] YesNo(byte[]? thresholds) =>
        ModelConverter.Convert(File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.tflite")), "yes_no", thresholds: thresholds).Emm;

    private static int[] Thresholds(KeywordRecognizer r) => Enumerable.Range(0, Labels.Length).Select(r.GetThreshold).ToArray();

    [Fact]
    public void Stored_thresholds_reach_the_recognizer_from_ram_and_from_flash()
    {
        byte[] emm = YesNo([1, 2, 205, 180]);
        foreach (Model model in new[] { new Model(emm), new Model(new ByteArrayModelReader(emm)) })
        {
            var recognizer = new KeywordRecognizer(Labels, ["silence", "unknown"]);
            Assert.True(ModelThresholds.Apply(model, recognizer));
            Assert.Equal([1, 2, 205, 180], Thresholds(recognizer));
        }
    }

    [Fact]
    public void A_model_without_stored_thresholds_puts_every_label_back_to_200()
    {
        var recognizer = new KeywordRecognizer(Labels, []);
        recognizer.SetThreshold(3, 90);
        Assert.False(ModelThresholds.Apply(new Model(YesNo(null)), recognizer));
        Assert.Equal([200, 200, 200, 200], Thresholds(recognizer));
    }

    [Fact]
    public void Storing_thresholds_changes_no_output_and_the_self_test_still_passes()
    {
        var plain = new Interpreter(new Model(YesNo(null)));
        var tuned = new Interpreter(new Model(YesNo([200, 200, 190, 170])));
        var input = new byte[plain.Model.ByteSize(plain.Model.InputTensor(0))];
        new Random(7).NextBytes(input);
        byte[] a = new byte[4], b = new byte[4];
        plain.SetInput(0, input, 0);
        plain.Invoke();
        plain.GetOutput(0, a, 0);
        tuned.SetInput(0, input, 0);
        tuned.Invoke();
        tuned.GetOutput(0, b, 0);
        Assert.Equal(a, b);
        Assert.Equal(SelfTest.Passed, SelfTest.Run(tuned, out _));
    }

    [Fact]
    public void Thresholds_that_are_not_one_per_output_are_refused_with_the_count()
    {
        var e = Assert.Throws<ConverterException>(() => YesNo([200, 180]));
        Assert.Contains("2 detection thresholds given for a model with 4 outputs", e.Message);
    }

    [Theory]
    [InlineData("", new[] { 200, 200, 205, 180 })]
    [InlineData("190", new[] { 190, 190, 190, 190 })]
    [InlineData("no=170", new[] { 200, 200, 205, 170 })]
    [InlineData(" yes = 0 , no=255", new[] { 200, 200, 0, 255 })]
    public void A_threshold_flag_overrides_the_stored_ones_only_where_it_says(string flag, int[] expected)
    {
        Assert.Equal(expected, ThresholdChoice.Parse(flag).Resolve(new Model(YesNo([200, 200, 205, 180])), Labels));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("256")]
    [InlineData("yes")]
    [InlineData("yes=")]
    [InlineData("=200")]
    [InlineData("yes=2x")]
    public void A_malformed_threshold_flag_is_refused(string flag)
    {
        Assert.Throws<FormatException>(() => ThresholdChoice.Parse(flag));
    }
}
