using System.CommandLine;
using Edge.Micro.Host.Fleet;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro push-model: sends a new model to a device over its console, which switches only after its checks.</summary>
public static class PushModelCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<FileInfo>("model") { Description = "The .emm to send (edge-micro convert writes it)" };
        var port = new Option<string>("--port", "-p") { Description = "Serial device (/dev/ttyUSB0, COM3, or the simulator's pty)", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate (default 115200)", DefaultValueFactory = _ => 115200 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each answer (default 10; the commit runs the model's self-test)", DefaultValueFactory = _ => 10 };
        var stopAfter = new Option<int?>("--stop-after") { Description = "Stop once the device holds this many bytes, without committing (an interrupted transfer; push again to resume)" };
        var command = new Command("push-model", "Send a model to a device: checked chunks into its spare slot, resumable; the device switches only after the model loads, fits and passes its self-test")
        {
            model, port, baud, timeout, stopAfter,
        };
        command.SetAction(parse =>
        {
            FileInfo file = parse.GetValue(model)!;
            if (!file.Exists)
            {
                throw new CliException($"{file.FullName} does not exist");
            }

            byte[] emm = File.ReadAllBytes(file.FullName);
            using ShellConnection device = OpenPort(parse.GetValue(port)!, parse.GetValue(baud));
            int lastTenth = -1;
            bool first = true;
            PushResult result;
            try
            {
                result = ModelPusher.Push(device, emm, TimeSpan.FromSeconds(parse.GetValue(timeout)), (received, total) =>
                {
                    if (first && received > 0)
                    {
                        output.WriteLine($"the device already holds {received:N0} bytes of this model: resuming");
                    }

                    first = false;
                    int tenth = (int)(received * 10L / total);
                    if (tenth != lastTenth)
                    {
                        lastTenth = tenth;
                        output.WriteLine($"sent {received:N0} / {total:N0} bytes ({received * 100L / total}%)");
                    }
                }, parse.GetValue(stopAfter));
            }
            catch (ArgumentException e)
            {
                throw new CliException($"{file.Name}: {e.Message}");
            }
            catch (TimeoutException e)
            {
                throw new CliException($"{e.Message}: is the device's console on {parse.GetValue(port)}?");
            }

            output.WriteLine(result.Switched ? result.Message : $"the device keeps its model: {result.Message}");
            return result.Switched ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static ShellConnection OpenPort(string port, int baud)
    {
        try
        {
            return ShellConnection.Open(port, baud);
        }
        catch (IOException e)
        {
            throw new CliException(e.Message);
        }
    }
}
