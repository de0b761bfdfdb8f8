import { describe, expect, it } from "vitest";
import { chooseClientIp } from "./client-ip";

describe("chooseClientIp", () => {
  it("takes the socket's address and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(chooseClientIp("203.0.113.9", "198.51.100.1", false)).toBe("203.0.113.9");
    expect(chooseClientIp("203.0.113.9", null, false)).toBe("203.0.113.9");
  });

  it("behind one proxy, takes the address that proxy appended (the right-most)", () => {
    // The client wrote "1.1.1.1" itself; the proxy appended the address it saw.
    expect(chooseClientIp("10.0.0.2", "1.1.1.1, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(chooseClientIp("10.0.0.2", "198.51.100.7", 1)).toBe("198.51.100.7");
  });

  it("behind two proxies, takes the second address from the right", () => {
    expect(chooseClientIp("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.9", 2)).toBe("198.51.100.7");
  });

  it("with more trusted hops than addresses, takes the left-most", () => {
    expect(chooseClientIp("10.0.0.2", "198.51.100.7", 3)).toBe("198.51.100.7");
  });

  it("with true, takes the left-most address", () => {
    expect(chooseClientIp("10.0.0.2", "198.51.100.7, 10.0.0.9", true)).toBe("198.51.100.7");
  });

  it("falls back to the socket when there is no header or the chosen entry is not an address", () => {
    expect(chooseClientIp("10.0.0.2", null, 1)).toBe("10.0.0.2");
    expect(chooseClientIp("10.0.0.2", "", 1)).toBe("10.0.0.2");
    expect(chooseClientIp("10.0.0.2", "not-an-ip", 1)).toBe("10.0.0.2");
    expect(chooseClientIp("10.0.0.2", "198.51.100.7, <script>", 1)).toBe("10.0.0.2");
  });

  it("strips ports and brackets, and IPv4-mapped prefixes", () => {
    expect(chooseClientIp("10.0.0.2", "198.51.100.7:51234", 1)).toBe("198.51.100.7");
    expect(chooseClientIp("10.0.0.2", "[2001:db8::1]:443", 1)).toBe("2001:db8::1");
    expect(chooseClientIp("::ffff:127.0.0.1", null, false)).toBe("127.0.0.1");
    expect(chooseClientIp("2001:DB8::1", null, false)).toBe("2001:db8::1");
  });

  it("says unknown when nothing is known", () => {
    expect(chooseClientIp(undefined, null, false)).toBe("unknown");
  });
});
