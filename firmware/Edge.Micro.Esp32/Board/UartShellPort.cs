using System.IO.Ports;
using Edge.Micro.Device.Platform;
using nanoFramework.Hardware.Esp32;

namespace Edge.Micro.Esp32.Board
{
    /// <summary>The diagnostics shell on a dedicated UART (not the debugger's).</summary>
    public sealed class UartShellPort : IShellPort
    {
        private readonly SerialPort _port;

        public UartShellPort(string name, int baud, int txPin, int rxPin)
        {
            Configuration.SetPinFunction(txPin, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(rxPin, DeviceFunction.COM2_RX);
            _port = new SerialPort(name, baud) { ReadTimeout = 0 };
            _port.Open();
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            int available = _port.BytesToRead;
            return available == 0 ? 0 : _port.Read(buffer, offset, available < count ? available : count);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }
    }
}
