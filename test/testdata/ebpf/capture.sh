#!/bin/bash
# Captures real segflow-ebpf output for the unit tests (run as root from the repository root:
# test/testdata/ebpf/capture.sh). Creates three network namespaces - a "node" routing between
# two "pods" over veth pairs - with only addresses inside them (10.232.1.0/24, 10.232.2.0/24,
# fd00:232:1::/64, fd00:232:2::/64), DROP rules in the node's FORWARD chain, and traffic of
# known sizes. Removes everything again, also on failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
P=sfcap
NODE=$P-node A=$P-a B=$P-b
LOADER=$root/.local/ebpf/segflow-ebpf

cleanup() {
  [ -n "${LPID:-}" ] && kill -TERM "$LPID" 2>/dev/null || true
  for ns in $A $B $NODE; do ip netns del $ns 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup
make -s -C "$root/ebpf" OUT="$root/.local/ebpf" >/dev/null

ip netns add $NODE; ip netns add $A; ip netns add $B
ip link add ${P}a netns $NODE type veth peer name eth0 netns $A
ip link add ${P}b netns $NODE type veth peer name eth0 netns $B
n() { ip netns exec $NODE "$@"; }
n ip link set lo up
n sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
for pod in a b; do
  i=$([ $pod = a ] && echo 1 || echo 2)
  ns=$P-$pod
  n ip link set ${P}$pod up
  n ip addr add 10.232.$i.1/24 dev ${P}$pod
  n ip addr add fd00:232:$i::1/64 dev ${P}$pod nodad
  ip -n $ns link set lo up
  ip -n $ns addr add 10.232.$i.2/24 dev eth0
  ip -n $ns addr add fd00:232:$i::2/64 dev eth0 nodad
  ip -n $ns link set eth0 up
  ip -n $ns route add default via 10.232.$i.1
  ip -n $ns -6 route add default via fd00:232:$i::1
done
# Conntrack with accounting in the node (it exists there once a rule uses it).
n iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
n ip6tables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
n sysctl -qw net.netfilter.nf_conntrack_acct=1
# The policy being enforced: a -> b tcp/9090 and udp/9091 (and v6 tcp/9090) are dropped.
n iptables -A FORWARD -s 10.232.1.2 -d 10.232.2.2 -p tcp --dport 9090 -j DROP
n iptables -A FORWARD -s 10.232.1.2 -d 10.232.2.2 -p udp --dport 9091 -j DROP
n ip6tables -A FORWARD -s fd00:232:1::2 -d fd00:232:2::2 -p tcp --dport 9090 -j DROP
# Let IPv6 neighbour discovery settle before anything is measured.
ip netns exec $A ping -6 -c1 -W2 fd00:232:1::1 >/dev/null; ip netns exec $B ping -6 -c1 -W2 fd00:232:2::1 >/dev/null

ip netns exec $NODE "$LOADER" --iface ${P}a --iface ${P}b --interval-ms 1000 > "$here/loader-output.bin" 2> "$here/loader-stderr.txt" &
LPID=$!
sleep 1.5

# Allowed: TCP a -> b:8080, 5000 bytes payload; IPv6 TCP a -> b:8080, 2000 bytes; UDP 3 x 100 B;
# ICMP echo x3 (v4) and x2 (v6).
ip netns exec $B sh -c 'nc -l 10.232.2.2 8080 > /dev/null' & S1=$!
ip netns exec $B sh -c 'nc -6 -l fd00:232:2::2 8080 > /dev/null' & S2=$!
ip netns exec $B sh -c 'timeout 4 nc -u -l 10.232.2.2 5353 > /dev/null' & S3=$!
sleep 0.5
head -c 5000 /dev/zero | ip netns exec $A nc -N -p 40001 10.232.2.2 8080
head -c 2000 /dev/zero | ip netns exec $A nc -6 -N -p 40002 fd00:232:2::2 8080
ip netns exec $A python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.232.1.2", 40003))
for _ in range(3):
    s.sendto(b"x" * 100, ("10.232.2.2", 5353)); time.sleep(0.05)
'
ip netns exec $A ping -c3 -i0.2 10.232.2.2 >/dev/null
ip netns exec $A ping -6 -c2 -i0.2 fd00:232:2::2 >/dev/null
# Dropped: TCP a -> b:9090 (SYN + its retransmit within 1.5 s), UDP a -> b:9091 x 2, IPv6 TCP a -> b:9090.
ip netns exec $A timeout 1.5 nc -p 40004 10.232.2.2 9090 || true
ip netns exec $A python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.232.1.2", 40005))
for _ in range(2):
    s.sendto(b"y" * 50, ("10.232.2.2", 9091))
'
ip netns exec $A timeout 1.5 nc -6 -p 40006 fd00:232:2::2 9090 || true
wait $S1 $S2 || true
wait $S3 || true
sleep 1.2
n conntrack -L -f ipv4 -o extended,id > "$here/conntrack-list.txt" 2>/dev/null
n conntrack -L -f ipv6 -o extended,id >> "$here/conntrack-list.txt" 2>/dev/null
kill -TERM $LPID; wait $LPID; LPID=
# Nothing may stay attached after a clean stop.
test -z "$(n tc filter show dev ${P}a ingress)"
echo "captured $(stat -c %s "$here/loader-output.bin") bytes of loader output"
