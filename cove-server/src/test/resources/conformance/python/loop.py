def main(args):
    while True:
        pass  # busy until the platform's time limit ends the worker
