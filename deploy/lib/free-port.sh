# free_port_pair: prints a free loopback TCP port P whose P+10000 is free too (RabbitMQ's
# distribution port sits there). Sourced by the instance scripts.
free_port_pair() {
  python3 - <<'PY'
import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        return True
    except OSError:
        return False
    finally:
        s.close()
while True:
    p = random.randint(20000, 29999)
    if free(p) and free(p + 10000):
        print(p)
        break
PY
}
