import { describe, expect, it } from "vitest";
import { classifyAddress, isPublicAddress } from "./public-address";

describe("addresses the platform may connect to", () => {
  it("allows public unicast IPv4 and IPv6", () => {
    for (const a of ["93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "2a00:1450:4001:80b::200e"]) {
      expect(isPublicAddress(a), a).toBe(true);
    }
  });

  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.254", "carrierGradeNat"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["192.0.2.10", "reserved"],
    ["240.0.0.1", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456:789a::1", "uniqueLocal"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "ipv4Mapped"],
    ["::ffff:10.0.0.1", "ipv4Mapped"],
    ["::ffff:8.8.8.8", "ipv4Mapped"],
    ["::ffff:7f00:1", "ipv4Mapped"],
    ["64:ff9b::a00:1", "rfc6052"],
    ["2002:a00:1::1", "6to4"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"],
    ["2001:db8::1", "reserved"],
  ])("refuses %s (%s)", (address, range) => {
    expect(classifyAddress(address)).toEqual({ ok: false, address, range });
  });

  it("refuses zoned IPv6 and anything that is not an address", () => {
    expect(isPublicAddress("fe80::1%eth0")).toBe(false);
    for (const junk of ["", "localhost", "example.com", "999.1.1.1", "1.2.3", "0x7f.1"]) expect(isPublicAddress(junk), junk).toBe(false);
  });
});
