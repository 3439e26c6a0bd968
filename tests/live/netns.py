"""Network namespaces for the live tests: three of them -- client, sensor,
server -- joined by two veth pairs (client c0 <-> sensor mc, server s0 <->
sensor ms). Each test module adds its own layout on top (a bridge in the
sensor, a routed sensor, or Odlar bridging mc and ms). Creating a namespace
that the machine refuses skips the test with the reason, never passes it."""
import os
import subprocess

import pytest


def run(*args, check=True):
    return subprocess.run(list(args), capture_output=True, text=True, check=check, timeout=30)


class ThreeNamespaces:
    """client <-veth c0/mc-> sensor <-veth ms/s0-> server; names carry the
    test process id under `tag` so parallel runs do not meet."""

    def __init__(self, tag):
        tag = f"{tag}{os.getpid() % 100000}"
        self.client, self.server, self.sensor = f"{tag}-c", f"{tag}-s", f"{tag}-m"
        self.made = []

    def add_namespaces(self):
        for ns in (self.client, self.server, self.sensor):
            r = run("ip", "netns", "add", ns, check=False)
            if r.returncode != 0:
                self.delete()
                pytest.skip(f"cannot create network namespaces (ip netns add: {r.stderr.strip()})")
            self.made.append(ns)
        c, s, m = self.client, self.server, self.sensor
        run("ip", "link", "add", "c0", "netns", c, "type", "veth", "peer", "name", "mc", "netns", m)
        run("ip", "link", "add", "s0", "netns", s, "type", "veth", "peer", "name", "ms", "netns", m)

    def exec(self, ns, *args):
        return ["ip", "netns", "exec", ns, *args]

    def delete(self):
        for ns in self.made:
            run("ip", "netns", "del", ns, check=False)
        self.made = []
