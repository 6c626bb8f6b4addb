using System.Text.Json;
using Edge.Micro.Device.Shell;

namespace Edge.Micro.Device.Tests;

/// <summary>The diagnostics shell: every command in text and json mode, and garbage.</summary>
public class ShellTests
{
    private static (DeviceLoop Device, FakePort Port) Device()
    {
        var port = new FakePort();
        return (TestDevice.Create(TestDevice.Clip("silence_1000ms"), port), port);
    }

    private static string[] Ask(DeviceLoop device, FakePort port, string line)
    {
        port.Send(line + "\n");
        device.Shell.Poll();
        return port.TakeLines();
    }

    public static TheoryData<string, string> Commands() => new()
    {
        { "help", "info - " }, { "help threshold", "threshold [label] [0-255]" }, { "info", "arenaBytes: 5960" },
        { "model", "1 DEPTHWISE_CONV_2D [1,25,20,8] macs=320000" }, { "bench 3", "inferences: 3" }, { "stats", "inferences:" },
        { "threshold", "yes: 200" }, { "threshold no 180", "no: 180" }, { "window 800", "windowMs: 800" }, { "suppress 1000", "suppressMs: 1000" },
        { "mic", "level:" }, { "selftest", "selftest: pass" }, { "log on", "log: on" }, { "log off", "log: off" }, { "mode text", "mode: text" }, { "ping 7f3a", "pong: 7f3a" }, { "reboot", "OK" },
    };

    [SkippableTheory]
    [MemberData(nameof(Commands))]
    public void Every_command_answers_in_text_mode(string command, string expected)
    {
        var (device, port) = Device();
        string[] lines = Ask(device, port, command);
        Assert.Equal("OK", lines[^1]);
        Assert.Contains(lines, l => l.Contains(expected));
    }

    [SkippableTheory]
    [MemberData(nameof(Commands))]
    public void Every_command_answers_one_json_object_in_json_mode(string command, string expected)
    {
        var (device, port) = Device();
        Ask(device, port, "mode json");
        if (command == "mode text")
        {
            command = "mode json"; // "mode text" answers in the mode it switches to
        }

        string[] lines = Ask(device, port, command);
        string line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(command.Split(' ')[0], json.RootElement.GetProperty("cmd").GetString());
        Assert.NotNull(expected);
    }

    [SkippableTheory]
    [InlineData("bogus", ShellMessages.UnknownCommand)]
    [InlineData("threshold maybe 10", ShellMessages.UnknownLabel)]
    [InlineData("threshold yes 300", ShellMessages.OutOfRange)]
    [InlineData("threshold yes abc", ShellMessages.BadNumber)]
    [InlineData("log sometimes", ShellMessages.BadArguments)]
    [InlineData("bench 0", ShellMessages.OutOfRange)]
    [InlineData("help nothing", ShellMessages.UnknownCommand)]
    [InlineData("ping", ShellMessages.BadArguments)]
    public void Wrong_input_gets_its_declared_error(string line, string error)
    {
        var (device, port) = Device();
        Assert.Equal(["ERR " + error], Ask(device, port, line));
    }

    [SkippableFact]
    public void Overlong_half_and_binary_lines_are_answered_and_the_shell_keeps_serving()
    {
        var (device, port) = Device();
        Assert.Equal(["ERR " + ShellMessages.LineTooLong], Ask(device, port, new string('x', 10_000)));
        port.Send("inf");
        device.Shell.Poll();
        Assert.Empty(port.TakeLines()); // half a line waits for its end
        Assert.Equal("OK", Ask(device, port, "o")[^1]);
        port.Send([0x00, 0xFF, 0x1B, (byte)'\n']);
        device.Shell.Poll();
        Assert.Equal(["ERR " + ShellMessages.NotPrintable], port.TakeLines());
        Assert.Equal("OK", Ask(device, port, "stats")[^1]);
    }

    [SkippableFact]
    public void A_hundred_thousand_random_lines_are_each_answered_while_audio_keeps_flowing()
    {
        var port = new FakePort();
        DeviceLoop device = TestDevice.Create(TestDevice.Clip("silence_1000ms"), port, loop: true, preferNative: true);
        device.Spotter.InferenceEveryFrames = 10;
        var random = new Random(2024);
        string[] words = ["help", "info", "model", "stats", "threshold", "window", "suppress", "mic", "log", "mode", "ping", "reboot", "yes", "no", "on", "off", "json", "text", "-1", "99999", "", "\t", "x"];
        int lines = 0;
        for (int i = 0; i < 100_000; i++)
        {
            if (random.Next(4) == 0)
            {
                var bytes = new byte[random.Next(1, 300)];
                random.NextBytes(bytes);
                for (int k = 0; k < bytes.Length; k++)
                {
                    if (bytes[k] == (byte)'\n' || bytes[k] == (byte)'\r')
                    {
                        bytes[k] = (byte)'z';
                    }
                }

                port.Send(bytes);
            }
            else
            {
                int n = random.Next(0, 5);
                port.Send(string.Join(' ', Enumerable.Range(0, n).Select(_ => words[random.Next(words.Length)])));
            }

            port.Send("\n");
            lines++;
            if (i % 50 == 0)
            {
                device.Step();
            }

            device.Shell.Poll();
        }

        device.Shell.Poll();
        Assert.Equal(lines, device.Shell.LinesAnswered);
        Assert.True(device.Stats.Frames > 1000, $"audio frames processed: {device.Stats.Frames}");
    }
}
