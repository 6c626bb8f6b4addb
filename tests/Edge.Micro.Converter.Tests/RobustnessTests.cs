using Edge.Micro.Converter.Emit;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Storage;

namespace Edge.Micro.Converter.Tests;

/// <summary>
/// Hostile input: every truncation of each corpus model and seeded random byte mutations of the .tflite and
/// the .emm give a clean error (ConverterException / ModelException) or a model that loads and runs. Any
/// other exception (index out of range, overflow, out of memory) fails the test with the seed and offset.
/// </summary>
public class RobustnessTests
{
    private const int Mutations = 10_000;

    public static TheoryData<string> Models() => new(CorpusModels.MicroSpeech, CorpusModels.DsCnnS, CorpusModels.LstmB);

    private static void ConvertAndRun(byte[] tflite, bool run)
    {
        ConversionResult result;
        try
        {
            // The self-test case is one more inference inside the converter: only on the sampled runs.
            result = ModelConverter.Convert(tflite, "mutant", selfTest: run);
        }
        catch (ConverterException)
        {
            return;
        }

        LoadAndRun(result.Emm, run);
    }

    private static void LoadAndRun(byte[] emm, bool run)
    {
        Model model;
        try
        {
            model = new Model(emm);
        }
        catch (ModelException)
        {
            return;
        }

        if (run)
        {
            new Interpreter(model).Invoke();
        }
    }

    private static void Expect(Action action, string what)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not ConverterException and not ModelException)
        {
            Assert.Fail($"{what}: unexpected {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Every_truncation_is_refused_cleanly(string model)
    {
        byte[] tflite = File.ReadAllBytes(CorpusModels.TfLitePath(model));
        byte[] emm = CorpusModels.Converted(model).Emm;
        for (int length = 0; length < tflite.Length; length++)
        {
            Expect(() => ConvertAndRun(tflite[..length], run: true), $".tflite truncated to {length}");
        }

        for (int length = 0; length < emm.Length; length++)
        {
            int n = length;
            Expect(() => Assert.Throws<ModelException>(() => new Model(emm[..n])), $".emm truncated to {length}");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Random_tflite_mutations_never_crash(string model)
    {
        byte[] original = File.ReadAllBytes(CorpusModels.TfLitePath(model));
        var random = new Random(model.Length * 7919);
        for (int i = 0; i < Mutations; i++)
        {
            byte[] mutant = Mutate(original, random, out string where);

            // Every mutant is converted and loaded; inference (slow for ds_cnn_s in managed code) on a sample.
            bool run = i % 20 == 0 || model is CorpusModels.MicroSpeech or CorpusModels.LstmB;
            Expect(() => ConvertAndRun(mutant, run), $".tflite mutation {i} ({where})");
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Random_emm_mutations_never_crash_even_with_a_valid_crc(string model)
    {
        byte[] original = CorpusModels.Converted(model).Emm;
        var random = new Random(model.Length * 104729);
        for (int i = 0; i < Mutations; i++)
        {
            byte[] mutant = Mutate(original, random, out string where);
            Expect(() => LoadAndRun(mutant, run: false), $".emm mutation {i} ({where})");

            // With the CRC repaired the loader's structural validation is what stands between the bytes and the kernels.
            EmmWriter.UpdateCrc(mutant);
            bool run = i % 20 == 0 || model is CorpusModels.MicroSpeech or CorpusModels.LstmB;
            Expect(() => LoadAndRun(mutant, run), $".emm mutation {i} with repaired CRC ({where})");
        }
    }

    public static TheoryData<string> GeneratedModels() => new("svdf", "16x8", "int16 activations", "lstm time-major");

    [Theory]
    [MemberData(nameof(GeneratedModels))]
    public void Random_mutations_of_the_svdf_and_16x8_models_never_crash_either_kernel_set(string name)
    {
        // Small test models stand in for the corpus's large ones. Every .emm mutant the loader accepts also runs
        // through the native kernels when they are built, which trust the loader's checks.
        byte[] tflite = Generated(name);
        byte[] emm = ModelConverter.Convert(tflite, name).Emm;
        Edge.Micro.Runtime.Kernels.IKernelSet? native = Edge.Micro.Host.Native.NativeMethods.IsAvailable
            ? Edge.Micro.Host.Native.KernelChoice.Resolve("native") : null;
        var random = new Random(name.Length * 31337);
        for (int i = 0; i < Mutations / 4; i++)
        {
            byte[] tfliteMutant = Mutate(tflite, random, out string where);
            Expect(() => ConvertAndRun(tfliteMutant, run: true), $"{name} .tflite mutation {i} ({where})");

            byte[] emmMutant = Mutate(emm, random, out where);
            EmmWriter.UpdateCrc(emmMutant);
            Expect(() => LoadAndRun(emmMutant, run: true), $"{name} .emm mutation {i} with repaired CRC ({where})");
            if (native != null)
            {
                Expect(() =>
                {
                    try
                    {
                        new Interpreter(new Model(emmMutant), native).Invoke();
                    }
                    catch (ModelException)
                    {
                    }
                }, $"{name} .emm mutation {i} on the native kernels ({where})");
            }
        }
    }

    public static TheoryData<string> LoaderModels() => new("svdf", "16x8", "int16 activations", CorpusModels.MicroSpeech, CorpusModels.LstmB);

    private static byte[] Generated(string name) => name switch
    {
        "svdf" => SvdfModel.Create(3).TfLite,
        "16x8" => S16Model.Create(3, S16Model.BiasKind.Int64, softmax: true),
        "int16 activations" => ActivationS16Model.Create(),
        "lstm time-major" => LstmModel.Create(3, timeMajor: true),
        _ => throw new ArgumentException(name),
    };

    [SkippableTheory]
    [MemberData(nameof(LoaderModels))]
    public void The_native_and_managed_loaders_give_the_same_verdict_on_every_mutant(string name)
    {
        // The C loader (em_model_load) promises the C# loader's rules and error codes: with the CRC repaired,
        // every mutant must be accepted by both or refused by both with the same code.
        NativeLibrary.Require("native");
        byte[] emm = name switch
        {
            CorpusModels.MicroSpeech or CorpusModels.LstmB => CorpusModels.Converted(name).Emm,
            _ => ModelConverter.Convert(Generated(name), name).Emm,
        };
        var random = new Random(name.Length * 65537);
        int refused = 0;
        for (int i = 0; i < Mutations / 2; i++)
        {
            byte[] mutant = Mutate(emm, random, out string where);
            EmmWriter.UpdateCrc(mutant);
            int managed;
            try
            {
                _ = new Model(mutant);
                managed = ModelError.None;
            }
            catch (ModelException e)
            {
                managed = e.Code;
            }

            int native = Edge.Micro.Host.Native.NativeMethods.ValidateModel(mutant);
            Assert.True(managed == native, $"{name} mutation {i} ({where}): managed loader {managed}, native loader {native}");

            // Read from flash (Model over a reader), the same verdict; except that a reader reads the tables from
            // before the constant data only, so a mutant whose tables, records or strings now reach past that start
            // is refused there as out of range, whatever an array makes of it.
            int flash;
            try
            {
                _ = new Model(new ByteArrayModelReader(mutant));
                flash = ModelError.None;
            }
            catch (ModelException e)
            {
                flash = e.Code;
            }

            Assert.True(flash == managed || flash == ModelError.TableOutOfRange || flash == ModelError.BadOpRecord,
                $"{name} mutation {i} ({where}): loaded from an array {managed}, through a reader {flash}");
            refused += managed == ModelError.None ? 0 : 1;
        }

        Assert.True(refused > Mutations / 20, $"only {refused} mutants refused: the mutations miss the tables");
    }

    /// <summary>One to four random bytes changed; biased to the first 2 KB, where the tables live.</summary>
    private static byte[] Mutate(byte[] original, Random random, out string where)
    {
        byte[] mutant = (byte[])original.Clone();
        int count = random.Next(1, 5);
        var positions = new List<int>();
        for (int k = 0; k < count; k++)
        {
            int limit = random.Next(3) == 0 ? original.Length : Math.Min(original.Length, 2048);
            int at = random.Next(limit);
            mutant[at] = random.Next(4) switch
            {
                0 => 0,
                1 => 0xFF,
                2 => (byte)(mutant[at] ^ (1 << random.Next(8))),
                _ => (byte)random.Next(256),
            };
            positions.Add(at);
        }

        where = "bytes " + string.Join(",", positions);
        return mutant;
    }
}
