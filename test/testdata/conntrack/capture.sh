#!/usr/bin/env bash
# Captures real `conntrack` output used by the collector's parser tests.
#
# Two network namespaces (sfcap-a = client + "node", sfcap-b = server) joined by a veth pair,
# an iptables rule using conntrack in sfcap-a, a DNAT rule (10.231.1.10:80 -> 10.231.0.2:8080,
# a "service IP"), and TCP / UDP / ICMP / IPv6 traffic with known payload sizes. Only addresses
# inside the namespaces created here are used. Run as root; everything is removed at the end.
#
#   test/testdata/conntrack/capture.sh [output-dir]
set -euo pipefail
OUT=${1:-$(dirname "$0")}
A=sfcap-a; B=sfcap-b
cleanup() {
  set +e
  for p in $(jobs -p); do kill "$p" 2>/dev/null; done
  ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null
}
trap cleanup EXIT
cleanup; set -e
ip netns add $A; ip netns add $B
ip link add sfveth-a type veth peer name sfveth-b
ip link set sfveth-a netns $A; ip link set sfveth-b netns $B
ip -n $A addr add 10.231.0.1/24 dev sfveth-a; ip -n $B addr add 10.231.0.2/24 dev sfveth-b
ip -n $A addr add fd00:231::1/64 dev sfveth-a nodad; ip -n $B addr add fd00:231::2/64 dev sfveth-b nodad
for ns in $A $B; do ip -n $ns link set lo up; done
ip -n $A link set sfveth-a up; ip -n $B link set sfveth-b up
# the "service" range is routed towards the server so that OUTPUT DNAT can rewrite it
ip -n $A route add 10.231.1.0/24 via 10.231.0.2
inA() { ip netns exec $A "$@"; }
inB() { ip netns exec $B "$@"; }
inA iptables -A INPUT -m conntrack --ctstate NEW,ESTABLISHED,RELATED -j ACCEPT
inA iptables -A OUTPUT -m conntrack --ctstate NEW,ESTABLISHED,RELATED -j ACCEPT
inA ip6tables -A OUTPUT -m conntrack --ctstate NEW,ESTABLISHED,RELATED -j ACCEPT
inA iptables -t nat -A OUTPUT -d 10.231.1.10/32 -p tcp --dport 80 -j DNAT --to-destination 10.231.0.2:8080

# 1. accounting and timestamps off (the kernel default): snapshot has no counters.
inA sysctl -qw net.netfilter.nf_conntrack_acct=0 net.netfilter.nf_conntrack_timestamp=0
inA ping -c1 -W1 10.231.0.2 >/dev/null
inA conntrack -L -o extended,id > "$OUT/list-acct-off.txt" 2>/dev/null
inA conntrack -F 2>/dev/null

# 2. accounting and timestamps on.
inA sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
inA timeout 14 conntrack -E -e NEW,DESTROY -o extended,id,timestamp > "$OUT/events.txt" 2>/dev/null &
sleep 0.5
inB timeout 12 nc -lk 10.231.0.2 8080 >/dev/null &
inB timeout 12 nc -lk fd00:231::2 8081 >/dev/null &
inB timeout 12 nc -luk 10.231.0.2 5353 >/dev/null &
sleep 0.5
# TCP: 5000 bytes of payload, then close.
head -c 5000 /dev/zero | inA timeout 2 nc -N 10.231.0.2 8080
# TCP through the DNAT "service IP": 1000 bytes.
head -c 1000 /dev/zero | inA timeout 2 nc -N 10.231.1.10 80
# IPv6 TCP: 2000 bytes.
head -c 2000 /dev/zero | inA timeout 2 nc -N fd00:231::2 8081
# UDP: 3 datagrams of 100 bytes (stays in the table until its timeout).
for i in 1 2 3; do head -c 100 /dev/zero; sleep 0.1; done | inA timeout 1 nc -u -q0 10.231.0.2 5353 || true
# UDP to an address nobody answers for: stays UNREPLIED.
echo hi | inA timeout 1 nc -u -q0 10.231.0.99 9999 || true
inA ping -c2 -i0.2 -W1 10.231.0.2 >/dev/null
inA ping -6 -c1 -W1 fd00:231::2 >/dev/null
# A long-lived TCP connection: 1000 bytes, snapshot, 4000 more bytes, snapshot, close.
( head -c 1000 /dev/zero; sleep 2; head -c 4000 /dev/zero; sleep 2 ) | inA timeout 6 nc -N 10.231.0.2 8080 &
sleep 1
{ inA conntrack -L -f ipv4 -o extended,id; inA conntrack -L -f ipv6 -o extended,id; } > "$OUT/list-1.txt" 2>/dev/null
sleep 2
{ inA conntrack -L -f ipv4 -o extended,id; inA conntrack -L -f ipv6 -o extended,id; } > "$OUT/list-2.txt" 2>/dev/null
sleep 3
# Flush: every remaining entry produces a DESTROY event with its final counters.
inA conntrack -F 2>/dev/null
sleep 0.5
wait
inA sysctl net.netfilter.nf_conntrack_acct net.netfilter.nf_conntrack_timestamp > /dev/null
echo "captured into $OUT"
