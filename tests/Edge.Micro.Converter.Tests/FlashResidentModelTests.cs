using Edge.Micro.Host.Native;
using Edge.Micro.Host.Verification;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Kernels;
using Edge.Micro.Runtime.Storage;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// A model loaded through an <see cref="IModelReader"/> (flash on a board) keeps only its tables in RAM and pages
/// each op's constants into one window: it must give the same bits as the model in RAM, with both kernel sets
/// (the native ones run it in place from native memory), and never read more than one op's constants at once.
/// </summary>
public class FlashResidentModelTests
{
    /// <summary>Counts what a reader hands out: the largest single read and the bytes read in all.</summary>
    private sealed class CountingReader(byte[] bytes) : IModelReader
    {
        public int Length => bytes.Length;

        public int LargestRead { get; private set; }

        public long BytesRead { get; private set; }

        public void Read(int offset, byte[] destination, int destinationOffset, int count)
        {
            LargestRead = Math.Max(LargestRead, count);
            BytesRead += count;
            Array.Copy(bytes, offset, destination, destinationOffset, count);
        }
    }

    public static TheoryData<string, string> Models()
    {
        var data = new TheoryData<string, string>();
        foreach (string model in new[]
        {
            CorpusModels.MicroSpeech, CorpusModels.DsCnnS, CorpusModels.Add2Conv, CorpusModels.FcTwoHeads, CorpusModels.FcSoftmax16Quantize,
            "int16_activations/tanh_int16_scale2pow-12", CorpusModels.LstmA, CorpusModels.LstmB,
        })
        {
            foreach (string kernels in KernelChoice.Names)
            {
                data.Add(model, kernels);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void A_model_read_from_flash_matches_TFLM_with_every_intermediate(string model, string kernels)
    {
        IKernelSet kernelSet = NativeLibrary.Require(kernels);
        byte[] emm = CorpusModels.Converted(model).Emm;
        using var native = new NativeModelMemory(emm);
        IModelReader reader = kernels == "native" ? native : new ByteArrayModelReader(emm);
        var flashModel = new Model(reader);
        string goldens = CorpusModels.GoldensPath(model);
        foreach (string caseDir in GoldenVerifier.FindCases(goldens).Take(2))
        {
            CaseResult result = GoldenVerifier.RunCase(flashModel, caseDir, kernelSet);
            Assert.True(result.Passed, result.Detail);
        }
    }

    [SkippableTheory]
    [InlineData(CorpusModels.MicroSpeech)]
    [InlineData(CorpusModels.DsCnnS)]
    [InlineData(CorpusModels.LstmA)]
    public void Only_the_tables_and_one_ops_constants_are_read_at_a_time(string model)
    {
        byte[] emm = CorpusModels.Converted(model).Emm;
        var reader = new CountingReader(emm);
        var flashModel = new Model(reader);
        var interpreter = new Interpreter(flashModel);
        interpreter.Invoke();

        int constBytes = emm.Length - flashModel.TableBytes;
        Assert.True(flashModel.ConstantWindowBytes < constBytes, $"window {flashModel.ConstantWindowBytes} B of {constBytes} B of constants");
        Assert.True(reader.LargestRead <= Math.Max(flashModel.TableBytes, flashModel.ConstantWindowBytes));
        Assert.Equal(flashModel.ConstantWindowBytes, interpreter.Model.Bytes.Length);
    }

    [Fact]
    public void The_shipped_models_window_is_its_largest_layer_not_the_whole_model()
    {
        byte[] emm = File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"));
        var flashModel = new Model(new ByteArrayModelReader(emm));

        // The fully connected layer's 12,480 weights and its arrays are the largest op; the model is 26,900 B.
        Assert.InRange(flashModel.ConstantWindowBytes, 12_480, 12_480 + 1_024);
        Assert.True(flashModel.TableBytes < 1_024, $"tables {flashModel.TableBytes} B");
    }

    [SkippableFact]
    public void Inference_on_a_flash_model_allocates_nothing_after_the_interpreter_is_built()
    {
        byte[] emm = CorpusModels.Converted(CorpusModels.DsCnnS).Emm;
        var interpreter = new Interpreter(new Model(new ByteArrayModelReader(emm)));
        interpreter.Invoke();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            interpreter.Invoke();
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void The_self_test_passes_on_a_model_read_from_flash()
    {
        byte[] emm = File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"));
        var interpreter = new Interpreter(new Model(new ByteArrayModelReader(emm)));
        Assert.Equal(SelfTest.Passed, SelfTest.Run(interpreter, out int firstDifference));
        Assert.Equal(-1, firstDifference);
    }

    [Theory]
    [InlineData(100, ModelError.CrcMismatch)]
    [InlineData(-1, ModelError.CrcMismatch)]
    public void A_corrupt_byte_anywhere_in_flash_is_refused_by_the_crc(int offset, int expected)
    {
        byte[] emm = File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"));
        emm[offset < 0 ? emm.Length + offset : offset] ^= 0x40;
        var e = Assert.Throws<ModelException>(() => new Model(new ByteArrayModelReader(emm)));
        Assert.Equal(expected, e.Code);
    }

    [Fact]
    public void A_truncated_model_in_flash_is_refused_with_its_length()
    {
        byte[] emm = File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"));
        Assert.Equal(ModelError.LengthMismatch, Assert.Throws<ModelException>(() => new Model(new ByteArrayModelReader(emm[..^16]))).Code);
        Assert.Equal(ModelError.TooSmall, Assert.Throws<ModelException>(() => new Model(new ByteArrayModelReader(emm[..40]))).Code);
    }

    [SkippableFact]
    public void Native_kernels_refuse_a_flash_model_they_cannot_reach_with_a_reason()
    {
        IKernelSet native = NativeLibrary.Require("native");
        byte[] emm = File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.emm"));
        var e = Assert.Throws<ArgumentException>(() => new Interpreter(new Model(new ByteArrayModelReader(emm)), native));
        Assert.Contains("NativeModelMemory", e.Message);
    }
}
