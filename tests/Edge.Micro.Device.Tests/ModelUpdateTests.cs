using Edge.Micro.Converter;
using Edge.Micro.Device.Shell;
using Edge.Micro.Device.Update;
using Edge.Micro.Host.Simulation;
using Edge.Micro.Runtime;
using Edge.Micro.Runtime.Format;
using Edge.Micro.TestSupport;

namespace Edge.Micro.Device.Tests;

/// <summary>
/// Model update over the console (docs/fleet.md): a device built with micro_speech receives another model into its
/// spare slot and switches only when the image is whole, loads, fits and passes its self-test; a reset at any point
/// leaves it on the old model or the new one; settings persist. The store is the simulator's (files).
/// </summary>
public sealed class ModelUpdateTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "em-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The shipped yes_no network converted for a device like the test device (no front-end flag).</summary>
    private static byte[] YesNo(bool selfTest = true, byte[]? thresholds = null) =>
        ModelConverter.Convert(File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.tflite")), "yes_no", EmmFormat.FrontEndNone, selfTest, thresholds).Emm;

    /// <summary>A device on the store as the simulator starts one: the active slot's model, else micro_speech.</summary>
    private (DeviceLoop Device, FakePort Port) Boot()
    {
        var store = new FileModelStore(_folder);
        var port = new FakePort();
        DeviceLoop device = TestDevice.Create(TestDevice.Clip("yes_1000ms"), port, loop: true);
        (Model model, int slot) = Simulator.StartingModel(TestDevice.MicroSpeech(), store, null);
        if (slot >= 0)
        {
            device = Simulator.CreateDevice(model, device.Interpreter.Kernels, false, device.Microphone, new CountingIndicator(), port, new FakePlatform());
        }

        device.Store = store;
        device.ModelSlot = slot;
        return (device, port);
    }

    private static string[] Ask(DeviceLoop device, FakePort port, string line)
    {
        port.Send(line + "\n");
        device.Shell.Poll();
        return port.TakeLines();
    }

    private static string Field(string[] reply, string name) => reply.Single(l => l.StartsWith(name + ": ")).Substring(name.Length + 2);

    /// <summary>Sends chunks of <paramref name="emm"/> from what the device holds until it holds <paramref name="upTo"/> bytes.</summary>
    private static int SendChunks(DeviceLoop device, FakePort port, byte[] emm, int upTo)
    {
        string[] begin = Ask(device, port, $"update begin {emm.Length} {Crc32.Compute(emm, 0, emm.Length):x8}");
        Assert.Equal("OK", begin[^1]);
        int received = int.Parse(Field(begin, "received"));
        int start = received;
        while (received < upTo)
        {
            int n = Math.Min(ModelUpdate.MaxChunkBytes, upTo - received);
            string[] reply = Ask(device, port, $"update data {received} {Convert.ToHexString(emm, received, n)} {Crc32.Compute(emm, received, n):x8}");
            Assert.True(reply[^1] == "OK", string.Join(" | ", reply));
            received = int.Parse(Field(reply, "received"));
        }

        return start;
    }

    private static void AssertStillDetects(DeviceLoop device)
    {
        long before = device.Spotter.Inferences;
        for (int i = 0; i < 200; i++)
        {
            device.Step();
        }

        Assert.True(device.Spotter.Inferences > before, "the device stopped running its model");
    }

    [Fact]
    public void A_pushed_model_runs_after_commit_and_after_a_reset()
    {
        byte[] emm = YesNo();
        var (device, port) = Boot();
        SendChunks(device, port, emm, emm.Length);
        string[] commit = Ask(device, port, "update commit");
        Assert.Equal("OK", commit[^1]);
        Assert.Equal("yes_no", Field(commit, "model"));
        Assert.Equal("passed", Field(commit, "selftest"));
        Assert.Equal("yes_no", Field(Ask(device, port, "info"), "model"));
        AssertStillDetects(device);

        var (rebooted, port2) = Boot();
        string[] info = Ask(rebooted, port2, "info");
        Assert.Equal("yes_no", Field(info, "model"));
        Assert.Equal("0", Field(info, "modelSlot"));
        Assert.Equal(Field(commit, "modelCrc"), Field(info, "modelCrc"));
    }

    [Fact]
    public void A_transfer_cut_by_a_reset_resumes_where_it_stopped_and_the_old_model_runs_meanwhile()
    {
        byte[] emm = YesNo();
        var (device, port) = Boot();
        SendChunks(device, port, emm, 100 * ModelUpdate.MaxChunkBytes);

        var (rebooted, port2) = Boot();
        Assert.Equal("micro_speech", Field(Ask(rebooted, port2, "info"), "model"));
        AssertStillDetects(rebooted);
        int resumedAt = SendChunks(rebooted, port2, emm, emm.Length);
        Assert.Equal(100 * ModelUpdate.MaxChunkBytes, resumedAt);
        Assert.Equal("OK", Ask(rebooted, port2, "update commit")[^1]);
        Assert.Equal("yes_no", Field(Ask(rebooted, port2, "info"), "model"));
    }

    [Fact]
    public void A_second_update_goes_to_the_other_slot_and_a_reset_mid_way_keeps_the_first()
    {
        var (device, port) = Boot();
        byte[] first = YesNo();
        SendChunks(device, port, first, first.Length);
        Assert.Equal("OK", Ask(device, port, "update commit")[^1]);

        byte[] second = ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "micro_speech_quantized.tflite")), "micro_speech_v2").Emm;
        SendChunks(device, port, second, second.Length / 2 / ModelUpdate.MaxChunkBytes * ModelUpdate.MaxChunkBytes);
        var (rebooted, port2) = Boot();
        Assert.Equal("yes_no", Field(Ask(rebooted, port2, "info"), "model"));
        SendChunks(rebooted, port2, second, second.Length);
        string[] commit = Ask(rebooted, port2, "update commit");
        Assert.Equal("1", Field(commit, "modelSlot"));
        Assert.Equal("micro_speech_v2", Field(commit, "model"));
        var (third, port3) = Boot();
        Assert.Equal("micro_speech_v2", Field(Ask(third, port3, "info"), "model"));
    }

    [Fact]
    public void A_model_corrupted_on_the_way_is_refused_by_its_crc_and_nothing_changes()
    {
        byte[] emm = YesNo();
        byte[] damaged = (byte[])emm.Clone();
        damaged[5000] ^= 0x10;
        var (device, port) = Boot();

        // Announce the real model's CRC, then deliver chunks of the damaged bytes (each chunk's own CRC matches them).
        Assert.Equal("OK", Ask(device, port, $"update begin {emm.Length} {Crc32.Compute(emm, 0, emm.Length):x8}")[^1]);
        for (int offset = 0; offset < damaged.Length; offset += ModelUpdate.MaxChunkBytes)
        {
            int n = Math.Min(ModelUpdate.MaxChunkBytes, damaged.Length - offset);
            Assert.Equal("OK", Ask(device, port, $"update data {offset} {Convert.ToHexString(damaged, offset, n)} {Crc32.Compute(damaged, offset, n):x8}")[^1]);
        }

        string[] commit = Ask(device, port, "update commit");
        Assert.StartsWith("ERR the received model's CRC-32 differs", commit[^1]);
        Assert.Equal("micro_speech", Field(Ask(device, port, "info"), "model"));
        AssertStillDetects(device);
        var (rebooted, port2) = Boot();
        Assert.Equal("micro_speech", Field(Ask(rebooted, port2, "info"), "model"));
    }

    [Fact]
    public void A_chunk_damaged_in_transit_is_refused_and_can_be_sent_again()
    {
        byte[] emm = YesNo();
        var (device, port) = Boot();
        Ask(device, port, $"update begin {emm.Length} {Crc32.Compute(emm, 0, emm.Length):x8}");
        string[] reply = Ask(device, port, $"update data 0 {Convert.ToHexString(emm, 0, 64)} 00000000");
        Assert.StartsWith("ERR chunk at 0 damaged in transit", reply[^1]);
        Assert.Equal("0", Field(Ask(device, port, "update status"), "received"));
        Assert.Equal("OK", Ask(device, port, $"update data 0 {Convert.ToHexString(emm, 0, 64)} {Crc32.Compute(emm, 0, 64):x8}")[^1]);
        Assert.Equal("OK", Ask(device, port, $"update data 0 {Convert.ToHexString(emm, 0, 64)} {Crc32.Compute(emm, 0, 64):x8}")[^1]); // a repeat (lost ack)
        Assert.Equal("ERR expected offset 64", Ask(device, port, $"update data 128 {Convert.ToHexString(emm, 128, 64)} {Crc32.Compute(emm, 128, 64):x8}")[^1]);
        Assert.Equal("ERR chunks are 64 bytes, only the last one shorter", Ask(device, port, $"update data 64 {Convert.ToHexString(emm, 64, 32)} {Crc32.Compute(emm, 64, 32):x8}")[^1]);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "not a model", "ERR not a model this firmware runs: not an .emm model (bad magic)" },
        { "ds_cnn_s (another input)", "ERR the model does not fit this device" },
        { "no self-test case", "ERR " + ShellMessages.NoSelfTest },
        { "mfcc front end", "ERR the model needs another front end" },
        { "too large", "ERR a model of 300000 bytes does not fit a slot of 262144" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_wrong_model_is_refused_with_its_reason_and_the_device_keeps_running_its_own(string what, string expected)
    {
        Skip.If(Corpus.TryRoot() == null && what.StartsWith("ds_cnn"), "corpus missing");
        byte[] emm = what switch
        {
            "not a model" => Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray(),
            "ds_cnn_s (another input)" => ModelConverter.Convert(File.ReadAllBytes(Corpus.PathOf("models", "ds_cnn_s_quantized.tflite")), "ds_cnn_s").Emm,
            "no self-test case" => YesNo(selfTest: false),
            "mfcc front end" => ModelConverter.Convert(File.ReadAllBytes(Path.Combine(Corpus.RepoRoot, "models", "yes_no.tflite")), "yes_no", EmmFormat.FrontEndMfcc).Emm,
            _ => new byte[300000],
        };
        var (device, port) = Boot();
        string[] result;
        if (what == "too large")
        {
            result = Ask(device, port, $"update begin {emm.Length} 0");
        }
        else
        {
            SendChunks(device, port, emm, emm.Length);
            result = Ask(device, port, "update commit");
        }

        Assert.StartsWith(expected, result[^1]);
        Assert.Equal("micro_speech", Field(Ask(device, port, "info"), "model"));
        Assert.Equal("-1", Field(Ask(device, port, "info"), "modelSlot"));
        AssertStillDetects(device);
        Assert.Equal(-1, new FileModelStore(_folder).ActiveSlot);
    }

    [Fact]
    public void Thresholds_window_and_suppression_survive_a_reset()
    {
        var (device, port) = Boot();
        Assert.Equal("OK", Ask(device, port, "threshold yes 150")[^1]);
        Assert.Equal("OK", Ask(device, port, "window 800")[^1]);
        Assert.Equal("OK", Ask(device, port, "suppress 900")[^1]);

        var (rebooted, port2) = Boot();
        Assert.Equal("150", Field(Ask(rebooted, port2, "threshold yes"), "yes"));
        Assert.Equal("800", Field(Ask(rebooted, port2, "window"), "windowMs"));
        Assert.Equal("900", Field(Ask(rebooted, port2, "suppress"), "suppressMs"));
    }

    [Fact]
    public void A_pushed_model_brings_its_stored_thresholds_which_replace_the_saved_ones_and_survive_a_reset()
    {
        var (device, port) = Boot();
        Assert.Equal("OK", Ask(device, port, "threshold no 150")[^1]);
        byte[] emm = YesNo(thresholds: [200, 200, 205, 180]);
        SendChunks(device, port, emm, emm.Length);
        Assert.Equal("OK", Ask(device, port, "update commit")[^1]);
        Assert.Equal("205", Field(Ask(device, port, "threshold yes"), "yes"));
        Assert.Equal("180", Field(Ask(device, port, "threshold no"), "no"));

        var (rebooted, port2) = Boot();
        Assert.Equal("180", Field(Ask(rebooted, port2, "threshold no"), "no"));
        Assert.Equal("OK", Ask(rebooted, port2, "threshold no 170")[^1]);
        var (again, port3) = Boot();
        Assert.Equal("170", Field(Ask(again, port3, "threshold no"), "no"));
    }

    [Fact]
    public void A_device_without_a_store_says_so()
    {
        var port = new FakePort();
        DeviceLoop device = TestDevice.Create(TestDevice.Clip("silence_1000ms"), port);
        Assert.Equal("ERR " + ShellMessages.NoModelStore, Ask(device, port, "update status")[^1]);
    }
}
