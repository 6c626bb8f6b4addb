using System.Device.Gpio;
using System.Threading;
using Edge.Micro.Device.Platform;

namespace Edge.Micro.Esp32.Board
{
    /// <summary>An LED on a GPIO pin, lit for a moment on each detection (a timer turns it off).</summary>
    public sealed class GpioIndicator : IIndicator
    {
        private const int PulseMs = 300;
        private readonly GpioPin _pin;
        private readonly Timer _off;

        public GpioIndicator(int pin)
        {
            _pin = new GpioController().OpenPin(pin, PinMode.Output);
            _pin.Write(PinValue.Low);
            _off = new Timer(state => _pin.Write(PinValue.Low), null, Timeout.Infinite, Timeout.Infinite);
        }

        public void Pulse()
        {
            _pin.Write(PinValue.High);
            _off.Change(PulseMs, Timeout.Infinite);
        }
    }
}
