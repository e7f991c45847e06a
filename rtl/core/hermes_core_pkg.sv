// SPDX-License-Identifier: MIT
// Constants private to the eBPF engine (rtl/core): instruction encoding
// (RFC 9669, the same values as host/include/hermes/isa.h), the engine
// address map, fault causes and retire-record codes (docs/ISA.md).
package hermes_core_pkg;

  // Engine address map: region = address bits 31:28, offset = bits 27:0.
  localparam logic [63:0] PROG_BASE   = 64'h0000_0000_1000_0000;
  localparam logic [63:0] DATA_BASE   = 64'h0000_0000_2000_0000;
  localparam logic [63:0] STACK_BASE  = 64'h0000_0000_3000_0000;
  localparam logic [63:0] MAP_BASE    = 64'h0000_0000_4000_0000;
  localparam logic [3:0]  REGION_PROG  = 4'h1;
  localparam logic [3:0]  REGION_DATA  = 4'h2;
  localparam logic [3:0]  REGION_STACK = 4'h3;
  localparam logic [3:0]  REGION_MAP   = 4'h4;
  // Programs store into their map slot only at or above this offset.
  localparam logic [27:0] MAP_STORE_MIN = 28'h000_9000;

  localparam int unsigned FRAME_BYTES = 512;
  localparam int unsigned MAX_FRAMES  = 8;
  localparam int unsigned STACK_BYTES = FRAME_BYTES * MAX_FRAMES;
  // r10 at the start of a run: top of frame 0.
  localparam logic [63:0] R10_INIT    = STACK_BASE + 64'(FRAME_BYTES);

  // Fault causes (docs/ISA.md "Faults").
  localparam logic [3:0] FAULT_NONE       = 4'd0;
  localparam logic [3:0] FAULT_LOAD       = 4'd1;
  localparam logic [3:0] FAULT_STORE      = 4'd2;
  localparam logic [3:0] FAULT_FETCH      = 4'd3;
  localparam logic [3:0] FAULT_ILLEGAL    = 4'd4;
  localparam logic [3:0] FAULT_BUDGET     = 4'd5;
  localparam logic [3:0] FAULT_CALL_DEPTH = 4'd6;
  localparam logic [3:0] FAULT_ABORTED    = 4'd7;
  localparam logic [3:0] FAULT_HELPER     = 4'd8;
  localparam logic [3:0] FAULT_BAD_ARG    = 4'd9;

  // Retire record: memory access kind, "no register written".
  localparam logic [1:0] MEM_NONE   = 2'd0;
  localparam logic [1:0] MEM_LOAD   = 2'd1;
  localparam logic [1:0] MEM_STORE  = 2'd2;
  localparam logic [1:0] MEM_ATOMIC = 2'd3;
  localparam logic [7:0] RD_NONE    = 8'hff;

  // Engine data port operations (docs/RTL_INTERFACES.md).
  localparam logic [1:0] DMEM_LOAD   = 2'd0;
  localparam logic [1:0] DMEM_STORE  = 2'd1;
  localparam logic [1:0] DMEM_ATOMIC = 2'd2;

  // Instruction classes (opcode bits 2:0).
  localparam logic [2:0] CLS_LD    = 3'h0;
  localparam logic [2:0] CLS_LDX   = 3'h1;
  localparam logic [2:0] CLS_ST    = 3'h2;
  localparam logic [2:0] CLS_STX   = 3'h3;
  localparam logic [2:0] CLS_ALU   = 3'h4;
  localparam logic [2:0] CLS_JMP   = 3'h5;
  localparam logic [2:0] CLS_JMP32 = 3'h6;
  localparam logic [2:0] CLS_ALU64 = 3'h7;

  // ALU operations (opcode bits 7:4).
  localparam logic [3:0] ALU_ADD  = 4'h0;
  localparam logic [3:0] ALU_SUB  = 4'h1;
  localparam logic [3:0] ALU_MUL  = 4'h2;
  localparam logic [3:0] ALU_DIV  = 4'h3;
  localparam logic [3:0] ALU_OR   = 4'h4;
  localparam logic [3:0] ALU_AND  = 4'h5;
  localparam logic [3:0] ALU_LSH  = 4'h6;
  localparam logic [3:0] ALU_RSH  = 4'h7;
  localparam logic [3:0] ALU_NEG  = 4'h8;
  localparam logic [3:0] ALU_MOD  = 4'h9;
  localparam logic [3:0] ALU_XOR  = 4'ha;
  localparam logic [3:0] ALU_MOV  = 4'hb;
  localparam logic [3:0] ALU_ARSH = 4'hc;
  localparam logic [3:0] ALU_END  = 4'hd;

  // Jump operations (opcode bits 7:4).
  localparam logic [3:0] JMP_JA   = 4'h0;
  localparam logic [3:0] JMP_JEQ  = 4'h1;
  localparam logic [3:0] JMP_JGT  = 4'h2;
  localparam logic [3:0] JMP_JGE  = 4'h3;
  localparam logic [3:0] JMP_JSET = 4'h4;
  localparam logic [3:0] JMP_JNE  = 4'h5;
  localparam logic [3:0] JMP_JSGT = 4'h6;
  localparam logic [3:0] JMP_JSGE = 4'h7;
  localparam logic [3:0] JMP_CALL = 4'h8;
  localparam logic [3:0] JMP_EXIT = 4'h9;
  localparam logic [3:0] JMP_JLT  = 4'ha;
  localparam logic [3:0] JMP_JLE  = 4'hb;
  localparam logic [3:0] JMP_JSLT = 4'hc;
  localparam logic [3:0] JMP_JSLE = 4'hd;

  // Load/store size field (opcode bits 4:3) and mode field (bits 7:5).
  localparam logic [1:0] SZ_W  = 2'h0;
  localparam logic [1:0] SZ_H  = 2'h1;
  localparam logic [1:0] SZ_B  = 2'h2;
  localparam logic [1:0] SZ_DW = 2'h3;
  localparam logic [2:0] MODE_MEM    = 3'h3;
  localparam logic [2:0] MODE_MEMSX  = 3'h4;
  localparam logic [2:0] MODE_ATOMIC = 3'h6;

  localparam logic [7:0] OP_LDDW = 8'h18;

  // Atomic operations (imm of STX|ATOMIC).
  localparam logic [7:0] AMO_FETCH   = 8'h01;
  localparam logic [7:0] AMO_ADD     = 8'h00;
  localparam logic [7:0] AMO_OR      = 8'h40;
  localparam logic [7:0] AMO_AND     = 8'h50;
  localparam logic [7:0] AMO_XOR     = 8'ha0;
  localparam logic [7:0] AMO_XCHG    = 8'he1;
  localparam logic [7:0] AMO_CMPXCHG = 8'hf1;

  // ===================================================================
  // Engine pipeline (hermes_engine and its stage modules)
  // ===================================================================
  typedef enum logic {
    RUN_IDLE   = 1'b0,
    RUN_ACTIVE = 1'b1
  } run_state_e;

  // The ALU operation, decoded in ID into one-hot selects so that EX
  // spends no logic level on the opcode (hermes_alu).
  typedef struct packed {
    logic       add;     // add, sub, neg: the adder
    logic       sub;     // ... subtracting b (sub) or adding ~a (neg)
    logic       neg;     // ... 0 - a
    logic       orr;
    logic       andd;
    logic       xorr;
    logic       lsh;
    logic       rsh;     // rsh, arsh
    logic       arith;   // arsh: sign fill
    logic       mov;
    logic [1:0] movsx;   // mov X: 0 plain, 1/2/3 sign-extend from 8/16/32 bits
    logic       endn;    // le, be, bswap
    logic       bswap;   // ... swapping bytes (be, bswap)
    logic [1:0] endw;    // ... width: 0: 16, 1: 32, 2: 64 bits
    logic       is64;    // ALU64: 6-bit shift amount, fill from bit 63
    logic       zext;    // a 32-bit result, zero-extended
  } alu_op_t;

  // ID's successors of the instruction it passes to EX, and its choice:
  // IF picks the next pc and checks that the copy has delivered each
  // candidate beside the choice (hermes_if_stage).
  typedef struct packed {
    logic        predict;    // the target (or, for an exit, the return pc) next
    logic        to_ret;     // ... the return pc
    logic        lddw;       // the opcode is lddw's (seq_pc is pc + 2)
    logic        imm_target; // the target's offset is imm (call, gotol), not off
    logic [31:0] seq_pc;     // pc + 1 (pc + 2 for lddw)
    logic [31:0] target_pc;
    logic [31:0] ret_pc;
  } id_next_t;

  // The base registers a memory access may use, per region (inclusive;
  // hermes_lsu_bounds): the access is in bounds when the base's high bits
  // are zero and its low 33 lie within one region's pair.
  typedef struct packed {
    logic [32:0] prog_lo;
    logic [32:0] prog_hi;
    logic [32:0] data_lo;
    logic [32:0] data_hi;
    logic [32:0] stack_lo;
    logic [32:0] stack_hi;
    logic [32:0] map_lo;
    logic [32:0] map_hi;
  } lsu_bounds_t;

  // What ID decoded for the instruction entering EX.
  typedef struct packed {
    logic       illegal;
    logic       div;
    logic       mul;
    logic       alu64;
    logic       div_signed;
    logic       div_mod;
    logic       lddw;
    logic       load;
    logic       memsx;
    logic       store;
    logic       atomic;
    logic [1:0] size;
    logic       jmp;
    logic       jmp32;
    logic       call;
    logic       helper;
    logic       is_exit;
    logic       rd_we;
    logic       late;       // rd's value is known in MEM only: a load's, an atomic's fetch, mul
    logic [3:0] rd;
  } ex_ctrl_t;

  // The ID/EX register. (Fields of 32 and 64 bits come last, so that they
  // sit on word boundaries of the verilated model's wide words.)
  typedef struct packed {
    alu_op_t     alu;
    ex_ctrl_t    ctrl;
    logic [33:0] target;     // jump/call target; for an exit the return pc ID fetched
    logic        target_ok;  // target inside the code
    logic        fall_bad;   // the next slot is past the code's end
    logic        pred;       // ID fetched the target next
    logic [1:0]  ctr;        // the jump's prediction counter
    // Forwarding, decided in ID: an operand is the result of the
    // instruction that was in EX (now in MEM) or in MEM (now in WB),
    // else opa/opb. No load value is ever forwarded from MEM.
    logic        fwd_a_mem;
    logic        fwd_a_wb;
    logic        fwd_b_mem;
    logic        fwd_b_wb;
    logic        wdata_late; // a store's value is the load's now in MEM: MEM takes it from WB
    logic        jlate_a;    // a conditional jump on the value of the load now in MEM
    logic        jlate_b;    // (dst, src): MEM decides it (hermes_mem_stage)
    lsu_bounds_t bounds;     // a memory access's base range per region
    logic [31:0] pc;
    logic [31:0] seq_pc;     // pc + 1 (pc + 2 for lddw)
    logic [63:0] insn;
    logic [63:0] imm;
    logic [63:0] opa;        // dst (a load: src, its address base), read in ID (refreshed while EX waits)
    logic [63:0] opb;        // operand b: src (X forms, stx, atomics), else imm
    logic [63:0] opc;        // r0 (cmpxchg)
  } id_ex_t;

  // The EX/MEM register.
  typedef struct packed {
    logic        rd_we;
    logic [3:0]  rd;
    logic [1:0]  kind;       // MEM_*
    logic [1:0]  size;
    logic        on_stack;   // the access is to the engine's stack
    logic        memsx;
    logic        mul;        // rd is the multiplier's product (late: MEM takes it)
    logic        wdata_late; // a store whose value MEM takes from WB (the load before it)
    logic        jlate;      // a conditional jump MEM decides: operands ea (dst) and wdata
    logic        jlate_a;    // (src or imm), the late one(s) from WB
    logic        jlate_b;
    logic        late_lv;    // ... the late value is a slot load's, retired: WB's lv_o
    logic        pred;       // the jump's prediction, counter and target
    logic [1:0]  ctr;
    logic [31:0] target;
    logic [2:0]  depth;      // call depth when it fired
    logic [11:0] stack_off;
    logic [7:0]  amo;
    logic [31:0] pc;
    logic [31:0] seq_pc;
    logic [31:0] bar4;       // slot access: BAR4 address
    logic [63:0] insn;
    logic [63:0] result;     // EX result (not a load's value, not mul's product)
    logic [63:0] ea;
    logic [63:0] wdata;
    logic [63:0] cmp;        // cmpxchg's r0
  } ex_mem_t;

  // The MEM/WB register: the retire record and what a call saves. A
  // slot load (port_load) has left MEM once its request went out: WB
  // takes its value from the port's response (rd_value unused), or from
  // mem_value when the response came while it was in MEM (port_early).
  // A load's register value from the memory's (zero-extended to the
  // access size): sign-extended for ldsx (memsx).
  function automatic logic [63:0] load_value(input logic [63:0] raw, input logic [1:0] size,
                                             input logic memsx);
    load_value = raw;
    if (memsx) begin
      unique case (size)
        2'd0:    load_value = {{56{raw[7]}}, raw[7:0]};
        2'd1:    load_value = {{48{raw[15]}}, raw[15:0]};
        default: load_value = {{32{raw[31]}}, raw[31:0]};
      endcase
    end
  endfunction

  // A slot atomic's record (the value it stored) is computed in WB from
  // the old value (mem_value) and amo_*, for the retire record alone.
  typedef struct packed {
    logic        port_load;
    logic        port_early;
    logic        memsx;      // ... sign-extending
    logic [1:0]  size;       // ... its access size (also a slot atomic's)
    logic        slot_amo;
    logic [7:0]  amo;
    logic [7:0]  rd;         // RD_NONE: no register written
    logic [1:0]  mem_kind;
    logic [3:0]  mem_size;   // bytes, 0 without an access
    logic [2:0]  depth;
    logic [31:0] pc;
    logic [31:0] seq_pc;     // a call's return pc
    logic [63:0] insn;
    logic [63:0] rd_value;
    logic [63:0] mem_addr;
    logic [63:0] mem_value;
    logic [63:0] amo_operand;
    logic [63:0] amo_cmp;
  } mem_wb_t;

endpackage
