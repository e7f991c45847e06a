// SPDX-License-Identifier: MIT
// Hardware command queues: the layouts of a submission entry (64 bytes)
// and a completion (32 bytes) as they sit in card memory, little-endian,
// byte 0 in bits 7:0 (docs/HWQUEUE.md; include/hermes/hwq.h is the host's
// copy). Fields are listed from the highest byte down, as packed structs
// store them.
package hermes_hwq_pkg;

  typedef struct packed {
    logic [127:0] rsvd_hi;    // 48-63: reserved, zero
    logic [63:0]  tag;        // 40: returned in the completion
    logic [63:0]  out_addr;   // 32: BAR4 address the output goes to
    logic [31:0]  out_len;    // 28: bytes of the data slot copied out
    logic [31:0]  in_len;     // 24: input bytes (also r2)
    logic [63:0]  in_addr;    // 16: BAR4 address of the input
    logic [31:0]  data_len;   // 12: r2 of the run, 0: in_len
    logic [31:0]  prog_len;   // 8: program length in bytes
    logic [31:0]  budget;     // 4: instruction budget, 0: EHMAXI
    logic [7:0]   prog_slot;  // 3
    logic [7:0]   version;    // 2: layout version, 1
    logic [7:0]   flags;      // 1: QF_LINK, QF_DRAIN
    logic [7:0]   opcode;     // 0: QOP_RUN
  } sqe_t;

  typedef struct packed {
    logic [7:0]   flags;      // 31: bit 0 phase
    logic [23:0]  rsvd;       // 28-30
    logic [15:0]  sq_idx;     // 26: index of the entry in its ring
    logic [7:0]   cause;      // 25: fault cause (status 5)
    logic [7:0]   status;     // 24: hermes_pkg::ST_*
    logic [31:0]  fault_pc;   // 20
    logic [31:0]  retired;    // 16: instructions retired
    logic [63:0]  r0;         // 8
    logic [63:0]  tag;        // 0
  } cqe_t;

  // Bytes 32-63 of a wide completion (Q_SIZE bit 12): what the command
  // registers' response and EHENGSTAT tell of a run, so a host needs no
  // register read to know it.
  typedef struct packed {
    logic [119:0] rsvd;       // 49-63
    logic [7:0]   engine;     // 48: the engine that ran the job (0xff: none)
    logic [63:0]  fault_addr; // 40: fault address (status 5)
    logic [63:0]  cycles;     // 32: engine clocks of the run
  } cqe_ext_t;

  localparam int unsigned SQE_BYTES = 64;
  localparam int unsigned CQE_BYTES = 32;
  localparam int unsigned CQE_WIDE_BYTES = 64;

endpackage
