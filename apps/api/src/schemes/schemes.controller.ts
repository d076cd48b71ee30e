import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditActor } from '@tocsin/audit';
import { Caller, Principal, RequireRole } from '@tocsin/auth';
import { SchemesService } from '@tocsin/schemes';
import { CreateSchemeDto, renderScheme, SchemeDto, SchemeListDto, UpdateSchemeDto } from './scheme.dto';

const auditActorOf = (caller: Principal): AuditActor => ({
  keyId: caller.keyId,
  name: caller.name,
  role: caller.role,
});

@ApiTags('schemes')
@Controller('v1/schemes')
export class SchemesController {
  constructor(private readonly schemes: SchemesService) {}

  @Get()
  @ApiOkResponse({ type: SchemeListDto })
  async list(): Promise<SchemeListDto> {
    return { items: (await this.schemes.list()).map(renderScheme), nextCursor: null };
  }

  @Get(':id')
  @ApiOkResponse({ type: SchemeDto })
  async one(@Param('id') id: string): Promise<SchemeDto> {
    return renderScheme(await this.schemes.get(id));
  }

  @Post()
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: SchemeDto, description: 'A custom scheme; its levels must be ranked 1..n.' })
  async create(@Body() body: CreateSchemeDto, @Caller() caller: Principal): Promise<SchemeDto> {
    const levels = body.levels.map((l) => ({ ...l, color: l.color ?? null }));
    return renderScheme(
      await this.schemes.create(
        { ...body, country: body.country ?? null, levels, approval: body.approval ?? null },
        auditActorOf(caller),
      ),
    );
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: SchemeDto,
    description:
      'Changes texts, colours and approval (built-in schemes too); level codes and ranks stay. ' +
      '`approval.minRank` must be one of the scheme’s ranks (else 400).',
  })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateSchemeDto,
    @Caller() caller: Principal,
  ): Promise<SchemeDto> {
    return renderScheme(await this.schemes.update(id, body, auditActorOf(caller)));
  }
}
