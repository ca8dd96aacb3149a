"""What a trainee has achieved: the completion rules (plain functions) and the facts they read.

Below certificates (which are issued from them) and records (which report them)."""
