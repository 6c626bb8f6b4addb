using System.CommandLine;
using System.Diagnostics;
using Edge.Micro.Host.Fleet;

namespace Edge.Micro.Cli.Commands;

/// <summary>edge-micro monitor: a client for the device's diagnostics shell over a serial port (or the simulator's pty).</summary>
public static class MonitorCommand
{
    public static Command Create(TextWriter output)
    {
        var port = new Option<string>("--port", "-p") { Description = "Serial device (/dev/ttyUSB0, COM3, or the simulator's pty)", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate (default 115200)", DefaultValueFactory = _ => 115200 };
        var exec = new Option<string[]>("--exec", "-e") { Description = "Run a command, print its answer, exit with its status (repeatable)", AllowMultipleArgumentsPerToken = false };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each answer (default 10)", DefaultValueFactory = _ => 10 };
        var listen = new Option<int>("--listen") { Description = "After the --exec commands, print what the device sends (events) for this many seconds" };
        var command = new Command("monitor", "Talk to a device's diagnostics shell: interactively, or run commands with --exec") { port, baud, exec, timeout, listen };
        command.SetAction(parse =>
        {
            ShellConnection serial;
            try
            {
                serial = ShellConnection.Open(parse.GetValue(port)!, parse.GetValue(baud));
            }
            catch (IOException e)
            {
                throw new CliException(e.Message);
            }

            using (serial)
            {
                serial.EventReceived = output.WriteLine;
                string[] commands = parse.GetValue(exec) ?? [];
                var wait = TimeSpan.FromSeconds(parse.GetValue(timeout));
                if (commands.Length > 0)
                {
                    int status = ExitCodes.Ok;
                    foreach (string c in commands)
                    {
                        if (!Exchange(serial, c, output, wait))
                        {
                            status = ExitCodes.Failed;
                        }
                    }

                    var listening = Stopwatch.StartNew();
                    while (listening.Elapsed.TotalSeconds < parse.GetValue(listen))
                    {
                        if (serial.TryReadLine() is string line)
                        {
                            output.WriteLine(line);
                        }
                    }

                    return status;
                }

                output.WriteLine($"connected to {parse.GetValue(port)}; type commands (help lists them), Ctrl-D to quit");
                string? typed;
                while ((typed = Console.ReadLine()) != null)
                {
                    if (typed.Trim().Length > 0)
                    {
                        Exchange(serial, typed, output, wait);
                    }
                }

                return ExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>Sends one command and prints the answer up to its final OK / ERR line (or JSON object). True for OK.</summary>
    private static bool Exchange(ShellConnection serial, string command, TextWriter output, TimeSpan timeout)
    {
        try
        {
            ShellReply reply = serial.Exchange(command, timeout);
            foreach (string line in reply.Lines)
            {
                output.WriteLine(line);
            }

            return reply.Ok;
        }
        catch (TimeoutException e)
        {
            throw new CliException(e.Message);
        }
    }
}
