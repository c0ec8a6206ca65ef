"""PCMD: the prostitution-prevention programme system of a Vietnamese People's Committee."""
