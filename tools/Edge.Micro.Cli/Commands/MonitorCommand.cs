using System.CommandLine;
using System.Diagnostics;
using System.IO.Ports;

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
            using var serial = new SerialPort(parse.GetValue(port)!, parse.GetValue(baud)) { NewLine = "\n", ReadTimeout = 200, WriteTimeout = 2000 };
            try
            {
                serial.Open();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new CliException($"cannot open {parse.GetValue(port)}: {e.Message}");
            }

            string[] commands = parse.GetValue(exec) ?? [];
            int wait = parse.GetValue(timeout) * 1000;
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
                    try
                    {
                        output.WriteLine(serial.ReadLine().TrimEnd('\r'));
                    }
                    catch (TimeoutException)
                    {
                    }
                }

                return status;
            }

            output.WriteLine($"connected to {parse.GetValue(port)}; type commands (help lists them), Ctrl-D to quit");
            string? line;
            while ((line = Console.ReadLine()) != null)
            {
                if (line.Trim().Length > 0)
                {
                    Exchange(serial, line, output, wait);
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Sends one command and prints the answer up to its final OK / ERR line (or JSON object). True for OK.</summary>
    private static bool Exchange(SerialPort serial, string command, TextWriter output, int timeoutMs)
    {
        serial.Write(command + "\n");
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < timeoutMs)
        {
            string line;
            try
            {
                line = serial.ReadLine().TrimEnd('\r');
            }
            catch (TimeoutException)
            {
                continue;
            }

            output.WriteLine(line);
            if (line.StartsWith("EVT ") || line.StartsWith("{\"event\""))
            {
                continue; // a detection event, not the answer
            }

            if (line == "OK" || line.StartsWith("{\"ok\":true"))
            {
                return true;
            }

            if (line.StartsWith("ERR") || line.StartsWith("{\"ok\":false"))
            {
                return false;
            }
        }

        throw new CliException($"no answer to '{command}' within {timeoutMs / 1000} s");
    }
}
