#!/usr/bin/python3
"""A Modbus test server on pymodbus 3.0 (Debian's python3-pymodbus): TCP or RTU, several units,
driven by line commands on stdin. Used by the driver's tests and as the demo's simulated device.

  modbus-server.py tcp [--host 127.0.0.1] [--port 0] [--units 1,2] [--size 10000] [--simulate]
  modbus-server.py rtu --path /dev/pts/N [--baud 9600] [--units 1,2] [--size 10000] [--simulate]

Once serving it prints one line: `LISTENING tcp <port>` or `LISTENING rtu <path>`.
Commands on stdin (one per line; each answers one line, `OK ...` or `ERR ...`):
  set <unit> <table> <addr> <v1> [v2 ...]   table: coil|discrete|input|holding (bits 0/1, registers 0-65535)
  get <unit> <table> <addr> <count>         -> OK v1 v2 ...
  silence <unit> / wake <unit>              stop / resume answering as that unit (no reply at all)
  delay <unit> <ms> [times]                 answer the next <times> requests (default 1, 0: all) of that unit <ms> late
  requests                                  -> OK <requests served so far>
--simulate: unit 1 moves by itself every 500 ms: holding 0 counts up, input 0-1 a float32 (ABCD)
temperature between 15 and 25, coil 0 toggles each 5 s, discrete 0 follows coil 0.
"""
import argparse
import asyncio
import logging
import math
import struct
import sys
import time

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusSerialServer, ModbusTcpServer
from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer

# pymodbus logs an ERROR on every client disconnect: keep its loggers quiet
logging.basicConfig(level=logging.CRITICAL)
for _name in list(logging.root.manager.loggerDict):
    if _name.startswith("pymodbus"):
        logging.getLogger(_name).setLevel(logging.CRITICAL + 1)
logging.getLogger("pymodbus").setLevel(logging.CRITICAL + 1)
TABLES = {"coil": 1, "discrete": 2, "holding": 3, "input": 4}
served = 0


class Unit(ModbusSlaveContext):
    """A slave context that counts requests and can answer late."""

    def __init__(self, size):
        blocks = {name: ModbusSequentialDataBlock(0, [0] * size) for name in ("di", "co", "hr", "ir")}
        super().__init__(**blocks, zero_mode=True)
        self.delay_s = 0.0
        self.delay_times = 0  # requests still to delay; -1: all of them

    def validate(self, fc_as_hex, address, count=1):
        global served
        served += 1
        if self.delay_s > 0 and self.delay_times != 0:
            self.delay_times -= 1 if self.delay_times > 0 else 0
            time.sleep(self.delay_s)  # blocks the loop on purpose: the reply goes out late
        return super().validate(fc_as_hex, address, count)


def parse_args():
    parser = argparse.ArgumentParser(description="Modbus test server (pymodbus)")
    parser.add_argument("transport", choices=["tcp", "rtu"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--path")
    parser.add_argument("--baud", type=int, default=9600)
    parser.add_argument("--units", default="1")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--simulate", action="store_true")
    return parser.parse_args()


def command(line, context, units, silenced):
    parts = line.split()
    if not parts:
        return "ERR empty command"
    verb, args = parts[0], parts[1:]
    try:
        if verb in ("set", "get"):
            unit, table, addr = int(args[0]), args[1], int(args[2])
            if table not in TABLES:
                return f"ERR unknown table {table}"
            store = units[unit]
            if verb == "set":
                store.setValues(TABLES[table], addr, [int(v) for v in args[3:]])
                return "OK"
            values = store.getValues(TABLES[table], addr, int(args[3]))
            return "OK " + " ".join(str(int(v)) for v in values)
        if verb == "silence":
            unit = int(args[0])
            if unit in context:
                del context[unit]
            silenced.add(unit)
            return "OK"
        if verb == "wake":
            unit = int(args[0])
            context[unit] = units[unit]
            silenced.discard(unit)
            return "OK"
        if verb == "delay":
            unit = units[int(args[0])]
            unit.delay_s = int(args[1]) / 1000
            times = int(args[2]) if len(args) > 2 else 1
            unit.delay_times = -1 if times == 0 else times
            return "OK"
        if verb == "requests":
            return f"OK {served}"
        return f"ERR unknown command {verb}"
    except (IndexError, ValueError, KeyError) as exc:
        return f"ERR {type(exc).__name__}: {exc}"


async def control(context, units, silenced):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            return  # stdin closed: the parent is gone
        print(command(line.decode().strip(), context, units, silenced), flush=True)


async def simulate(units):
    unit = units[min(units)]
    tick = 0
    while True:
        await asyncio.sleep(0.5)
        tick += 1
        unit.setValues(3, 0, [tick % 65536])
        temp = 20 + 5 * math.sin(tick / 20)
        unit.setValues(4, 0, list(struct.unpack(">HH", struct.pack(">f", temp))))
        coil = (tick // 10) % 2
        unit.setValues(1, 0, [coil])
        unit.setValues(2, 0, [coil])


async def main():
    args = parse_args()
    ids = [int(u) for u in args.units.split(",")]
    units = {u: Unit(args.size) for u in ids}
    context = ModbusServerContext(slaves=dict(units), single=False)
    silenced = set()
    if args.transport == "tcp":
        server = ModbusTcpServer(context, framer=ModbusSocketFramer, address=(args.host, args.port), allow_reuse_address=True)
        task = asyncio.create_task(server.serve_forever())
        await server.serving
        port = server.server.sockets[0].getsockname()[1]
        print(f"LISTENING tcp {port}", flush=True)
    else:
        if not args.path:
            sys.exit("rtu needs --path")
        server = ModbusSerialServer(context, framer=ModbusRtuFramer, port=args.path, baudrate=args.baud)
        await server.start()
        task = asyncio.create_task(server.serve_forever())
        print(f"LISTENING rtu {args.path}", flush=True)
    if args.simulate:
        asyncio.create_task(simulate(units))
    await control(context, units, silenced)
    task.cancel()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
